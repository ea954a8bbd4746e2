// SPDX-License-Identifier: Apache-2.0
#include "libusb_handle.hpp"

#include <utility>
#include <vector>

namespace usbio::usb::detail {

LibusbHandle::LibusbHandle(LibusbHandle&& other) noexcept
    : api_(other.api_),
      handle_(std::exchange(other.handle_, nullptr)),
      claimed_(std::exchange(other.claimed_, -1)),
      detached_(std::exchange(other.detached_, false)) {}

int LibusbHandle::claim(int interface) {
    if (!handle_ || claimed_ >= 0) return LIBUSB_ERROR_INVALID_PARAM;
    bool detached = false;
    const int active = api_->kernel_driver_active(handle_, interface);
    if (active == 1) {
        // A kernel driver (usbhid, ftdi_sio) owns the interface. An interface
        // another program claimed through usbfs does not count as one here,
        // so it is never taken away: the claim below fails with BUSY.
        const int r = api_->detach_kernel_driver(handle_, interface);
        if (r == 0)
            detached = true;
        else if (r != LIBUSB_ERROR_NOT_FOUND)  // NOT_FOUND: it let go on its own meanwhile
            return r;
    } else if (active < 0 && active != LIBUSB_ERROR_NOT_SUPPORTED) {
        return active;
    }
    const int r = api_->claim_interface(handle_, interface);
    if (r != 0) {
        if (detached) api_->attach_kernel_driver(handle_, interface);
        return r;
    }
    claimed_ = interface;
    detached_ = detached;
    return 0;
}

void LibusbHandle::control_out_now(const ControlSetup& setup, std::span<const uint8_t> data, unsigned timeout_ms) {
    if (!handle_) return;
    std::vector<unsigned char> buf(data.begin(), data.end());
    (void)api_->control_transfer(handle_, setup.bmRequestType, setup.bRequest, setup.wValue, setup.wIndex, buf.data(),
                                 static_cast<uint16_t>(buf.size()), timeout_ms);
}

void LibusbHandle::release() {
    if (!handle_) return;
    if (claimed_ >= 0) {
        // Failures here mean the device is gone; there is nothing to undo then.
        api_->release_interface(handle_, claimed_);
        if (detached_) api_->attach_kernel_driver(handle_, claimed_);
    }
    claimed_ = -1;
    detached_ = false;
    api_->close(std::exchange(handle_, nullptr));
}

}  // namespace usbio::usb::detail
