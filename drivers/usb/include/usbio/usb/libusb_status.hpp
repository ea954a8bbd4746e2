// SPDX-License-Identifier: Apache-2.0
// libusb's error codes and transfer statuses as errno values.
#pragma once

#include <libusb.h>

#include <string>

namespace usbio::usb {

// LIBUSB_ERROR_* -> errno: ACCESS EACCES, NO_DEVICE ENODEV, BUSY EBUSY,
// TIMEOUT ETIMEDOUT, PIPE EPIPE, OVERFLOW EOVERFLOW, INVALID_PARAM EINVAL,
// NOT_SUPPORTED EOPNOTSUPP, NO_MEM ENOMEM, NOT_FOUND ENOENT, INTERRUPTED
// EINTR; IO and anything else EIO. 0 for success (and positive values).
int errno_from_libusb_error(int libusb_error) noexcept;

// A finished transfer's status -> errno, as reported when nothing else is
// known: COMPLETED 0, NO_DEVICE ENODEV, STALL EPIPE, TIMED_OUT ETIMEDOUT,
// CANCELLED ECANCELED, OVERFLOW EOVERFLOW, ERROR EIO.
int errno_from_transfer_status(int status) noexcept;

// "LIBUSB_ERROR_ACCESS": the name libusb gives a code, for messages.
std::string libusb_error_text(int libusb_error);

}  // namespace usbio::usb
