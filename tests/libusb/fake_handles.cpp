// SPDX-License-Identifier: Apache-2.0
// The fake's device handles: open, close, kernel drivers and interface
// claims, with the checks on what a close leaves behind.
#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "fake_internal.hpp"

namespace usbio::test {

// --- handles -----------------------------------------------------------------

int FakeLibusb::open(libusb_device* dev, libusb_device_handle** handle) {
    Dev* d = dev_of(dev);
    std::lock_guard lk(mu_);
    if (!d->present && !d->deauthorized) return LIBUSB_ERROR_NO_DEVICE;
    if (d->open_error) return d->open_error;
    auto* h = new Handle;
    h->dev = d;
    h->generation = d->generation;
    handles_.insert(h);
    note_locked("open");
    *handle = reinterpret_cast<libusb_device_handle*>(h);
    return 0;
}

void FakeLibusb::close(libusb_device_handle* handle) {
    Handle* h = handle_of(handle);
    std::unique_lock lk(mu_);
    // As libusb's: the close takes the event lock, so no thread handles
    // events on the handle meanwhile. Whoever holds it is told to let go
    // (event_handling_ok() turns 0, its round ends).
    if (holding_locked()) {
        violation_locked("close inside event handling");
    } else {
        ++closing_;
        cv_.notify_all();
        if (!cv_.wait_for(lk, std::chrono::seconds(10), [&] { return !events_locked_; }))
            violation_locked("close waited 10 s for the event lock");
        --closing_;
    }
    if (!handles_.count(h)) {
        violation_locked("close of an unknown handle");
        return;
    }
    int busy = 0;
    for (const auto& [x, f] : flights_)
        if (f.handle == h) ++busy;
    for (const auto& f : finished_)
        if (f.xfer->dev_handle == handle) ++busy;
    if (busy) violation_locked("close with " + std::to_string(busy) + " transfer(s) in flight");
    if (h->sync_in_progress) violation_locked("close with a synchronous control transfer in progress");
    for (int itf : h->claimed) violation_locked("close with interface " + std::to_string(itf) + " claimed");
    for (int itf : h->detached_here)
        violation_locked("close without re-attaching the kernel driver of interface " + std::to_string(itf));
    for (int itf : h->claimed) release_claim_locked(h, itf);
    handles_.erase(h);
    delete h;
    note_locked("close");
}

int FakeLibusb::kernel_driver_active(libusb_device_handle* handle, int interface) {
    Handle* h = handle_of(handle);
    std::lock_guard lk(mu_);
    if (unplugged(h)) return LIBUSB_ERROR_NO_DEVICE;
    if (unconfigured(h)) return LIBUSB_ERROR_NOT_FOUND;
    return h->dev->kernel_driver[interface] ? 1 : 0;
}

int FakeLibusb::detach_kernel_driver(libusb_device_handle* handle, int interface) {
    Handle* h = handle_of(handle);
    std::lock_guard lk(mu_);
    if (unplugged(h)) return LIBUSB_ERROR_NO_DEVICE;
    if (unconfigured(h) || !h->dev->kernel_driver[interface]) return LIBUSB_ERROR_NOT_FOUND;
    h->dev->kernel_driver[interface] = false;
    h->detached_here.insert(interface);
    note_locked("detach " + std::to_string(interface));
    return 0;
}

int FakeLibusb::attach_kernel_driver(libusb_device_handle* handle, int interface) {
    Handle* h = handle_of(handle);
    std::lock_guard lk(mu_);
    note_locked("attach " + std::to_string(interface));
    if (unplugged(h) || unconfigured(h)) {
        h->detached_here.erase(interface);  // nothing left to give back
        return unplugged(h) ? LIBUSB_ERROR_NO_DEVICE : LIBUSB_ERROR_NOT_FOUND;
    }
    if (h->dev->claimed_by.count(interface)) return LIBUSB_ERROR_BUSY;
    if (h->dev->kernel_driver[interface]) return LIBUSB_ERROR_BUSY;
    h->dev->kernel_driver[interface] = true;
    h->detached_here.erase(interface);
    return 0;
}

int FakeLibusb::claim_interface(libusb_device_handle* handle, int interface) {
    Handle* h = handle_of(handle);
    std::lock_guard lk(mu_);
    if (unplugged(h)) return LIBUSB_ERROR_NO_DEVICE;
    if (unconfigured(h)) return LIBUSB_ERROR_NOT_FOUND;  // no interfaces to claim
    if (h->dev->claim_error) return h->dev->claim_error;
    if (h->dev->kernel_driver[interface]) return LIBUSB_ERROR_BUSY;
    auto it = h->dev->claimed_by.find(interface);
    if (it != h->dev->claimed_by.end() && it->second != h) return LIBUSB_ERROR_BUSY;
    h->dev->claimed_by[interface] = h;
    h->claimed.insert(interface);
    note_locked("claim " + std::to_string(interface));
    return 0;
}

int FakeLibusb::release_interface(libusb_device_handle* handle, int interface) {
    Handle* h = handle_of(handle);
    std::lock_guard lk(mu_);
    note_locked("release " + std::to_string(interface));
    if (!h->claimed.count(interface)) return LIBUSB_ERROR_NOT_FOUND;
    release_claim_locked(h, interface);
    h->claimed.erase(interface);
    if (unplugged(h)) return LIBUSB_ERROR_NO_DEVICE;
    return unconfigured(h) ? LIBUSB_ERROR_NOT_FOUND : 0;
}

int FakeLibusb::control_transfer(libusb_device_handle* handle, uint8_t, uint8_t request, uint16_t value, uint16_t,
                                 unsigned char*, uint16_t length, unsigned) {
    Handle* h = handle_of(handle);
    std::lock_guard lk(mu_);
    char text[32];
    std::snprintf(text, sizeof text, "control %u 0x%04x", unsigned(request), unsigned(value));
    note_locked(text);
    if (unplugged(h)) return LIBUSB_ERROR_NO_DEVICE;
    return length;
}

int FakeLibusb::sync_control(libusb_device_handle* handle, uint8_t request_type, uint8_t request, uint16_t value,
                             uint16_t index, unsigned char* data, uint16_t length, unsigned timeout_ms,
                             int* transferred) {
    Handle* h = handle_of(handle);
    decltype(sync_control_script) script;
    std::shared_ptr<usb::DeviceModel> model;
    {
        std::lock_guard lk(mu_);
        if (!sync_control_capable) return ENOSYS;
        if (!handles_.count(h)) {
            violation_locked("synchronous control transfer on a closed handle");
            return EINVAL;
        }
        if (timeout_ms == 0) violation_locked("synchronous control transfer without a timeout");
        if (unplugged(h)) return ENODEV;
        ++sync_controls_;
        ++h->sync_in_progress;
        script = sync_control_script;
        model = h->dev->spec.model;
    }
    const usb::ControlSetup setup{request_type, request, value, index, length};
    const bool in = (request_type & LIBUSB_ENDPOINT_IN) != 0;
    std::vector<uint8_t> buf;
    if (!in) buf.assign(data, data + length);
    int e = 0;
    if (request_type == 0x80 && request == LIBUSB_REQUEST_GET_DESCRIPTOR && (value >> 8) == LIBUSB_DT_STRING) {
        if (!string_answer(*h->dev, static_cast<uint8_t>(value & 0xFF), buf)) e = EPIPE;
    } else if (script) {
        e = script(setup, buf);
    } else if (model) {
        usb::ControlReply reply = model->control(setup, buf);
        if (reply.stall) e = EPIPE;
        if (in) buf = std::move(reply.data);
    }
    if (in) {
        buf.resize(std::min<std::size_t>(buf.size(), length));
        std::copy(buf.begin(), buf.end(), data);
    }
    *transferred = in ? static_cast<int>(buf.size()) : length;
    std::lock_guard lk(mu_);
    --h->sync_in_progress;
    return e;
}

// A claim ends; after a deauthorisation a newer handle may hold the interface.
void FakeLibusb::release_claim_locked(Handle* h, int interface) {
    auto it = h->dev->claimed_by.find(interface);
    if (it != h->dev->claimed_by.end() && it->second == h) h->dev->claimed_by.erase(it);
}

}  // namespace usbio::test
