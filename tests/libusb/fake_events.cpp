// SPDX-License-Identifier: Apache-2.0
// The fake's transfers and event handling: callbacks run only inside
// event handling, on the thread holding the event lock, as libusb's do.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "fake_internal.hpp"

namespace usbio::test {

namespace {

constexpr uint8_t kGetStatus = 0x00;
constexpr uint8_t kGetDescriptor = 0x06;
constexpr uint8_t kGetConfiguration = 0x08;
constexpr uint8_t kStringType = 0x03;

struct Setup {
    uint8_t bmRequestType, bRequest;
    uint16_t wValue, wIndex, wLength;
};

Setup setup_of(const libusb_transfer* x) {
    const uint8_t* b = x->buffer;
    return Setup{b[0], b[1], static_cast<uint16_t>(b[2] | (b[3] << 8)), static_cast<uint16_t>(b[4] | (b[5] << 8)),
                 static_cast<uint16_t>(b[6] | (b[7] << 8))};
}

std::vector<uint8_t> string_descriptor(const std::string& s) {
    std::vector<uint8_t> d{static_cast<uint8_t>(2 + 2 * s.size()), kStringType};
    for (char c : s) {
        d.push_back(static_cast<uint8_t>(c));
        d.push_back(0);
    }
    return d;
}

bool is_in(const libusb_transfer* x) {
    if (x->type == LIBUSB_TRANSFER_TYPE_CONTROL) return (x->buffer[0] & LIBUSB_ENDPOINT_IN) != 0;
    return (x->endpoint & LIBUSB_ENDPOINT_IN) != 0;
}

// Copies IN data into the transfer's buffer; returns the bytes copied.
int fill_in(libusb_transfer* x, const std::vector<uint8_t>& data) {
    const int offset = x->type == LIBUSB_TRANSFER_TYPE_CONTROL ? LIBUSB_CONTROL_SETUP_SIZE : 0;
    const int room = std::max(0, x->length - offset);
    const int n = std::min<int>(room, static_cast<int>(data.size()));
    if (n > 0) std::memcpy(x->buffer + offset, data.data(), static_cast<std::size_t>(n));
    return n;
}

}  // namespace

libusb_transfer* FakeLibusb::alloc_transfer(int iso_packets) {
    const std::size_t size =
        sizeof(libusb_transfer) + static_cast<std::size_t>(iso_packets) * sizeof(libusb_iso_packet_descriptor);
    auto* x = static_cast<libusb_transfer*>(std::calloc(1, size));
    std::lock_guard lk(mu_);
    allocated_.insert(x);
    return x;
}

void FakeLibusb::free_transfer(libusb_transfer* transfer) {
    if (!transfer) return;
    std::lock_guard lk(mu_);
    if (!allocated_.erase(transfer)) {
        violation_locked("free of an unknown transfer");
        return;
    }
    bool busy = flights_.count(transfer) != 0;
    for (const auto& f : finished_) busy = busy || f.xfer == transfer;
    if (busy) {
        violation_locked("free of a transfer in flight");
        allocated_.insert(transfer);  // keep it: it is still in use
        return;
    }
    std::free(transfer);
}

void FakeLibusb::finish_locked(libusb_transfer* xfer, int status, int actual) {
    flights_.erase(xfer);
    finished_.push_back(Finished{xfer, status, actual});
    cv_.notify_all();
}

// String descriptors, GET_STATUS and GET_CONFIGURATION are answered by the
// fake itself.
bool string_answer(const FakeLibusb::Dev& d, uint8_t index, std::vector<uint8_t>& reply) {
    switch (index) {
    case 0: reply = {4, kStringType, 0x09, 0x04}; return true;
    case 1: reply = string_descriptor(d.spec.manufacturer); return true;
    case 2: reply = string_descriptor(d.spec.product); return true;
    case 3: reply = string_descriptor(d.spec.serial); return true;
    default: return false;
    }
}

bool FakeLibusb::auto_answer_locked(libusb_transfer* x) {
    if (x->type != LIBUSB_TRANSFER_TYPE_CONTROL) return false;
    const Setup s = setup_of(x);
    const Flight& f = flights_.at(x);
    Dev* d = f.dev;
    if (s.bmRequestType == 0x80 && (s.bRequest == kGetStatus || s.bRequest == kGetConfiguration)) {
        ++status_requests_;
        if (d->status_reply < 0) return false;
        if (d->status_reply != LIBUSB_TRANSFER_COMPLETED) {
            finish_locked(x, d->status_reply, 0);
            return true;
        }
        const uint8_t configuration = unconfigured(f.handle) ? 0 : 1;
        const std::vector<uint8_t> reply =
            s.bRequest == kGetStatus ? std::vector<uint8_t>{0x00, 0x00} : std::vector<uint8_t>{configuration};
        finish_locked(x, LIBUSB_TRANSFER_COMPLETED, fill_in(x, reply));
        return true;
    }
    if (s.bmRequestType == 0x80 && s.bRequest == kGetDescriptor && (s.wValue >> 8) == kStringType) {
        std::vector<uint8_t> reply;
        if (!string_answer(*d, static_cast<uint8_t>(s.wValue & 0xFF), reply)) {
            finish_locked(x, LIBUSB_TRANSFER_STALL, 0);
            return true;
        }
        reply.resize(std::min<std::size_t>(reply.size(), s.wLength));
        finish_locked(x, LIBUSB_TRANSFER_COMPLETED, fill_in(x, reply));
        return true;
    }
    return false;
}

int FakeLibusb::submit_transfer(libusb_transfer* transfer) {
    Handle* h = handle_of(transfer->dev_handle);
    std::lock_guard lk(mu_);
    if (!allocated_.count(transfer)) {
        violation_locked("submit of an unknown transfer");
        return LIBUSB_ERROR_INVALID_PARAM;
    }
    if (!handles_.count(h)) {
        violation_locked("submit on a closed handle");
        return LIBUSB_ERROR_INVALID_PARAM;
    }
    if (flights_.count(transfer)) return LIBUSB_ERROR_BUSY;
    if (unplugged(h)) return LIBUSB_ERROR_NO_DEVICE;
    // Without a configuration only requests to the device itself go through.
    const bool to_device = transfer->type == LIBUSB_TRANSFER_TYPE_CONTROL && (transfer->buffer[0] & 0x1F) == 0;
    if (unconfigured(h) && !to_device) return LIBUSB_ERROR_IO;
    if (h->dev->submit_error && h->dev->submit_error_count != 0) {
        if (h->dev->submit_error_count > 0) --h->dev->submit_error_count;
        return h->dev->submit_error;
    }
    if (transfer->type != LIBUSB_TRANSFER_TYPE_CONTROL) {
        bool claimed = false;
        for (const auto& itf : h->dev->spec.interfaces)
            for (const auto& ep : itf.endpoints)
                if (ep.address == transfer->endpoint && h->claimed.count(itf.number)) claimed = true;
        if (!claimed) violation_locked("transfer on an endpoint of an unclaimed interface");
    }
    ++submitted_;
    submissions_.push_back({transfer->endpoint, transfer->type, transfer->timeout, transfer->length});
    Flight f;
    f.dev = h->dev;
    f.handle = h;
    f.seq = next_seq_++;
    if (transfer->timeout) f.deadline = Clock::now() + std::chrono::milliseconds(transfer->timeout);
    flights_.emplace(transfer, f);
    if (!auto_answer_locked(transfer) && h->dev->spec.model && !h->dev->model_held) to_serve_.push_back(transfer);
    cv_.notify_all();
    return 0;
}

int FakeLibusb::cancel_transfer(libusb_transfer* transfer) {
    std::lock_guard lk(mu_);
    ++cancels_;
    auto it = flights_.find(transfer);
    if (it == flights_.end() || it->second.cancel_requested) return LIBUSB_ERROR_NOT_FOUND;
    if (it->second.serving) {
        it->second.cancel_requested = true;  // settled when the model call returns
        return 0;
    }
    to_serve_.erase(std::remove(to_serve_.begin(), to_serve_.end(), transfer), to_serve_.end());
    finish_locked(transfer, LIBUSB_TRANSFER_CANCELLED, 0);
    return 0;
}

void FakeLibusb::expire_locked() {
    const auto now = Clock::now();
    std::vector<libusb_transfer*> due;
    for (const auto& [x, f] : flights_)
        if (f.deadline && *f.deadline <= now && !f.serving) due.push_back(x);
    for (auto* x : due) {
        to_serve_.erase(std::remove(to_serve_.begin(), to_serve_.end(), x), to_serve_.end());
        finish_locked(x, LIBUSB_TRANSFER_TIMED_OUT, 0);
    }
}

// One model call for one transfer, made without the lock.
void FakeLibusb::serve_one(std::unique_lock<std::mutex>& lk, libusb_transfer* x) {
    auto it = flights_.find(x);
    if (it == flights_.end()) return;
    it->second.serving = true;
    it->second.parked = false;
    usb::DeviceModel& model = *it->second.dev->spec.model;
    const bool in = is_in(x);
    int status = LIBUSB_TRANSFER_COMPLETED;
    int actual = 0;
    bool nak = false;
    lk.unlock();
    if (x->type == LIBUSB_TRANSFER_TYPE_CONTROL) {
        const Setup s = setup_of(x);
        std::span<const uint8_t> out;
        if (!in) out = std::span<const uint8_t>(x->buffer + LIBUSB_CONTROL_SETUP_SIZE, s.wLength);
        usb::ControlReply reply =
            model.control(usb::ControlSetup{s.bmRequestType, s.bRequest, s.wValue, s.wIndex, s.wLength}, out);
        if (reply.stall) {
            status = LIBUSB_TRANSFER_STALL;
        } else if (in) {
            reply.data.resize(std::min<std::size_t>(reply.data.size(), s.wLength));
            actual = fill_in(x, reply.data);
        } else {
            actual = s.wLength;
        }
    } else if (in) {
        auto pkt = model.in_packet(x->endpoint);
        if (!pkt) {
            nak = true;
        } else {
            actual = fill_in(x, *pkt);
            if (static_cast<int>(pkt->size()) > x->length) status = LIBUSB_TRANSFER_OVERFLOW;
        }
    } else {
        const int mp = 64;
        int off = 0;
        do {
            const int n = std::min(mp, x->length - off);
            if (!model.out_packet(x->endpoint,
                                  std::span<const uint8_t>(x->buffer + off, static_cast<std::size_t>(n)))) {
                status = LIBUSB_TRANSFER_STALL;
                break;
            }
            off += n;
        } while (off < x->length);
        actual = off;
    }
    lk.lock();
    it = flights_.find(x);
    if (it == flights_.end()) return;  // finished meanwhile (unplugged)
    it->second.serving = false;
    if (nak) {
        if (it->second.cancel_requested)
            finish_locked(x, LIBUSB_TRANSFER_CANCELLED, 0);
        else
            it->second.parked = true;
        return;
    }
    finish_locked(x, status, actual);
}

void FakeLibusb::serve_model(std::unique_lock<std::mutex>& lk) {
    while (!to_serve_.empty()) {
        libusb_transfer* x = to_serve_.front();
        to_serve_.pop_front();
        serve_one(lk, x);
    }
    if (!in_ready_) return;
    in_ready_ = false;
    std::vector<std::pair<uint64_t, libusb_transfer*>> parked;
    for (const auto& [x, f] : flights_)
        if (f.parked) parked.emplace_back(f.seq, x);
    std::sort(parked.begin(), parked.end());
    for (const auto& [seq, x] : parked) serve_one(lk, x);
}

namespace {

FakeLibusb::Clock::time_point deadline_of(const timeval* tv) {
    return FakeLibusb::Clock::now() + std::chrono::seconds(tv ? tv->tv_sec : 0) +
           std::chrono::microseconds(tv ? tv->tv_usec : 0);
}

}  // namespace

// As libusb's: handles events when it gets the lock, else waits once for
// the thread that has it.
int FakeLibusb::handle_events_timeout_completed(libusb_context* ctx, timeval* tv, int*) {
    const auto deadline = deadline_of(tv);
    {
        std::unique_lock lk(mu_);
        event_thread_ = std::this_thread::get_id();
        if (stall_armed_) {
            stalled_ = true;
            cv_.notify_all();
            if (!cv_.wait_for(lk, std::chrono::seconds(10), [&] { return !stall_armed_; })) {
                violation_locked("the event thread was stalled and never resumed");
                stall_armed_ = false;
            }
            stalled_ = false;
        }
    }
    for (;;) {
        if (try_lock_events(ctx) == 0) {
            const int r = handle_round(ctx, deadline);
            unlock_events(ctx);
            return r;
        }
        lock_event_waiters(ctx);
        if (!event_handler_active(ctx)) {  // it let go meanwhile: try again
            unlock_event_waiters(ctx);
            continue;
        }
        timeval left = *tv;
        wait_for_event(ctx, &left);
        unlock_event_waiters(ctx);
        return 0;
    }
}

int FakeLibusb::handle_events_locked(libusb_context* ctx, timeval* tv) {
    {
        std::lock_guard lk(mu_);
        if (!holding_locked()) {
            violation_locked("handle_events_locked without the event lock");
            return LIBUSB_ERROR_INVALID_PARAM;
        }
        if (std::this_thread::get_id() != event_thread_) ++locked_rounds_;
    }
    return handle_round(ctx, deadline_of(tv));
}

bool FakeLibusb::holding_locked() const { return events_locked_ && events_holder_ == std::this_thread::get_id(); }

int FakeLibusb::try_lock_events(libusb_context*) {
    std::lock_guard lk(mu_);
    if (events_locked_ || closing_ > 0) return 1;
    events_locked_ = true;
    events_holder_ = std::this_thread::get_id();
    cv_.notify_all();
    return 0;
}

void FakeLibusb::unlock_events(libusb_context*) {
    {
        std::lock_guard lk(mu_);
        if (!holding_locked()) {
            violation_locked("unlock_events without the event lock");
            return;
        }
        events_locked_ = false;
        events_holder_ = {};
        cv_.notify_all();  // a close waiting for the lock
    }
    wake_waiters();
}

int FakeLibusb::event_handling_ok(libusb_context*) {
    std::lock_guard lk(mu_);
    if (!holding_locked()) violation_locked("event_handling_ok without the event lock");
    return closing_ == 0 ? 1 : 0;
}

int FakeLibusb::event_handler_active(libusb_context*) {
    std::lock_guard lk(mu_);
    return events_locked_ ? 1 : 0;
}

void FakeLibusb::lock_event_waiters(libusb_context*) { waiters_mu_.lock(); }

void FakeLibusb::unlock_event_waiters(libusb_context*) { waiters_mu_.unlock(); }

int FakeLibusb::wait_for_event(libusb_context*, timeval* tv) {
    const auto deadline = deadline_of(tv);
    std::unique_lock lk(waiters_mu_, std::adopt_lock);  // the caller holds it
    {
        std::lock_guard g(mu_);
        ++waiting_;
        cv_.notify_all();
    }
    const auto st = waiters_cv_.wait_until(lk, deadline);
    {
        std::lock_guard g(mu_);
        --waiting_;
    }
    lk.release();
    return st == std::cv_status::timeout ? 1 : 0;
}

void FakeLibusb::wake_waiters() {
    std::lock_guard lk(waiters_mu_);
    waiters_cv_.notify_all();
}

int FakeLibusb::handle_round(libusb_context* ctx, Clock::time_point deadline) {
    std::unique_lock lk(mu_);
    for (;;) {
        serve_model(lk);
        expire_locked();
        if (!finished_.empty() || !hotplug_msgs_.empty() || interrupted_ || closing_ > 0) break;
        if (stall_armed_ && std::this_thread::get_id() == event_thread_) break;  // to stall at the next entry
        const auto now = Clock::now();
        if (now >= deadline) break;
        if (!to_serve_.empty() || in_ready_) continue;
        auto wake = deadline;
        for (const auto& [x, f] : flights_)
            if (f.deadline && *f.deadline < wake) wake = *f.deadline;
        cv_.wait_until(lk, wake);
    }
    interrupted_ = false;
    std::deque<HotplugMsg> msgs;
    msgs.swap(hotplug_msgs_);
    std::deque<Finished> done;
    done.swap(finished_);
    // Callbacks run without the lock, like libusb's: they may submit,
    // cancel and deregister.
    for (const auto& m : msgs) {
        std::vector<Hotplug> cbs = hotplug_;
        for (const auto& h : cbs) {
            const bool still =
                std::any_of(hotplug_.begin(), hotplug_.end(), [&](const Hotplug& r) { return r.id == h.id; });
            if (!still || !(h.events & m.event)) continue;
            ++m.dev->refs;  // libusb holds the device during the callback
            auto running = hotplug_running_.insert(h.id);
            lk.unlock();
            h.cb(ctx, as_libusb(m.dev), m.event, h.user);
            lk.lock();
            hotplug_running_.erase(running);
            --m.dev->refs;
        }
    }
    for (const auto& f : done) {
        f.xfer->status = static_cast<libusb_transfer_status>(f.status);
        f.xfer->actual_length = f.actual;
        callbacks_.push_back(Callback{f.xfer->endpoint, std::this_thread::get_id()});
        lk.unlock();
        if (f.xfer->callback) f.xfer->callback(f.xfer);
        wake_waiters();  // "a transfer completed"
        lk.lock();
    }
    return 0;
}

std::vector<FakeLibusb::Callback> FakeLibusb::callbacks() const {
    std::lock_guard lk(mu_);
    return callbacks_;
}

std::thread::id FakeLibusb::wait_caller_holds_events(std::size_t waiters, std::chrono::milliseconds timeout) const {
    std::unique_lock lk(mu_);
    const bool held = cv_.wait_for(
        lk, timeout, [&] { return events_locked_ && events_holder_ != event_thread_ && waiting_ >= waiters; });
    return held ? events_holder_ : std::thread::id{};
}

std::size_t FakeLibusb::locked_rounds() const {
    std::lock_guard lk(mu_);
    return locked_rounds_;
}

void FakeLibusb::stall_event_thread() {
    std::lock_guard lk(mu_);
    stall_armed_ = true;
    cv_.notify_all();
}

bool FakeLibusb::wait_events_stalled(std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return stalled_; });
}

void FakeLibusb::resume_events() {
    std::lock_guard lk(mu_);
    stall_armed_ = false;
    cv_.notify_all();
}

void FakeLibusb::interrupt_event_handler(libusb_context*) {
    std::lock_guard lk(mu_);
    interrupted_ = true;
    cv_.notify_all();
}

// --- scripted transfers ---------------------------------------------------------

std::vector<libusb_transfer*> FakeLibusb::in_flight() {
    std::lock_guard lk(mu_);
    std::vector<std::pair<uint64_t, libusb_transfer*>> v;
    for (const auto& [x, f] : flights_) v.emplace_back(f.seq, x);
    std::sort(v.begin(), v.end());
    std::vector<libusb_transfer*> out;
    for (const auto& [seq, x] : v) out.push_back(x);
    return out;
}

libusb_transfer* FakeLibusb::wait_for(const std::function<bool(const libusb_transfer*)>& match,
                                      std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    libusb_transfer* found = nullptr;
    cv_.wait_for(lk, timeout, [&] {
        uint64_t best = 0;
        found = nullptr;
        for (const auto& [x, f] : flights_) {
            if (f.serving || !match(x)) continue;
            if (!found || f.seq < best) {
                found = x;
                best = f.seq;
            }
        }
        return found != nullptr;
    });
    return found;
}

libusb_transfer* FakeLibusb::wait_for_endpoint(uint8_t endpoint) {
    return wait_for([endpoint](const libusb_transfer* x) {
        return x->type != LIBUSB_TRANSFER_TYPE_CONTROL && x->endpoint == endpoint;
    });
}

void FakeLibusb::complete(libusb_transfer* xfer, int status, const std::vector<uint8_t>& data) {
    std::lock_guard lk(mu_);
    if (!flights_.count(xfer)) {
        violation_locked("test completed a transfer that is not in flight");
        return;
    }
    int actual = 0;
    if (is_in(xfer))
        actual = fill_in(xfer, data);
    else if (status == LIBUSB_TRANSFER_COMPLETED)
        actual = xfer->length - (xfer->type == LIBUSB_TRANSFER_TYPE_CONTROL ? LIBUSB_CONTROL_SETUP_SIZE : 0);
    finish_locked(xfer, status, actual);
}

}  // namespace usbio::test
