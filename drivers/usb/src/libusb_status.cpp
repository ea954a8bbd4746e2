// SPDX-License-Identifier: Apache-2.0
#include "usbio/usb/libusb_status.hpp"

#include <cerrno>

namespace usbio::usb {

int errno_from_libusb_error(int e) noexcept {
    if (e >= 0) return 0;
    switch (e) {
    case LIBUSB_ERROR_ACCESS: return EACCES;
    case LIBUSB_ERROR_NO_DEVICE: return ENODEV;
    case LIBUSB_ERROR_BUSY: return EBUSY;
    case LIBUSB_ERROR_TIMEOUT: return ETIMEDOUT;
    case LIBUSB_ERROR_PIPE: return EPIPE;
    case LIBUSB_ERROR_OVERFLOW: return EOVERFLOW;
    case LIBUSB_ERROR_INVALID_PARAM: return EINVAL;
    case LIBUSB_ERROR_NOT_SUPPORTED: return EOPNOTSUPP;
    case LIBUSB_ERROR_NO_MEM: return ENOMEM;
    case LIBUSB_ERROR_NOT_FOUND: return ENOENT;
    case LIBUSB_ERROR_INTERRUPTED: return EINTR;
    default: return EIO;
    }
}

int errno_from_transfer_status(int status) noexcept {
    switch (status) {
    case LIBUSB_TRANSFER_COMPLETED: return 0;
    case LIBUSB_TRANSFER_NO_DEVICE: return ENODEV;
    case LIBUSB_TRANSFER_STALL: return EPIPE;
    case LIBUSB_TRANSFER_TIMED_OUT: return ETIMEDOUT;
    case LIBUSB_TRANSFER_CANCELLED: return ECANCELED;
    case LIBUSB_TRANSFER_OVERFLOW: return EOVERFLOW;
    default: return EIO;
    }
}

std::string libusb_error_text(int e) { return libusb_error_name(e); }

}  // namespace usbio::usb
