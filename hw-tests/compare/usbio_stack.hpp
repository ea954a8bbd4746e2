// SPDX-License-Identifier: Apache-2.0
// usbio's side: usbio::usb::attach (libusb; the kernel driver is detached
// from the CP2112's interface while usbio holds it and attached again on
// release), the adapter found by serial number, one line request for both
// lines and the I2C bus, all held for the whole run.
#pragma once

#include <memory>
#include <string>

#include "stack.hpp"

namespace usbio::compare {

std::unique_ptr<Stack> open_usbio_stack(const std::string& serial, std::string& error);

}  // namespace usbio::compare
