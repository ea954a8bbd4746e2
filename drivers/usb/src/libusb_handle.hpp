// SPDX-License-Identifier: Apache-2.0
// An open libusb device handle with at most one claimed interface, and the
// kernel driver that had to be detached from it.
//
// Release order is fixed: release the interface, re-attach the kernel
// driver usbio detached (only that one, on that interface), close. The
// caller makes sure no transfer of the handle is in flight by then.
#pragma once

#include <span>

#include "usbio/usb/libusb_api.hpp"
#include "usbio/usb/transport.hpp"

namespace usbio::usb::detail {

class LibusbHandle {
public:
    LibusbHandle(LibusbApi& api, libusb_device_handle* handle) : api_(&api), handle_(handle) {}
    ~LibusbHandle() { release(); }
    LibusbHandle(LibusbHandle&& other) noexcept;
    LibusbHandle& operator=(LibusbHandle&&) = delete;
    LibusbHandle(const LibusbHandle&) = delete;

    libusb_device_handle* get() const noexcept { return handle_; }

    // Claims `interface`, detaching a kernel driver bound to it first (and
    // re-attaching it when the claim fails). Returns 0 or a LIBUSB_ERROR
    // code: BUSY when another program holds the interface.
    int claim(int interface);
    // Sends `data` with `setup` (OUT), synchronously, if the handle is open;
    // for the request a transport sends on release.
    void control_out_now(const ControlSetup& setup, std::span<const uint8_t> data, unsigned timeout_ms);
    // Releases, re-attaches, closes. Idempotent.
    void release();

private:
    LibusbApi* api_;
    libusb_device_handle* handle_;
    int claimed_ = -1;
    bool detached_ = false;  // the kernel driver of claimed_ was detached by us
};

}  // namespace usbio::usb::detail
