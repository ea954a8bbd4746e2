// SPDX-License-Identifier: Apache-2.0
// The kernel's side: hid-cp2112 through /dev/i2c-N (I2C_RDWR ioctls, one
// per transfer, as i2ctransfer makes them) and /dev/gpiochipN through
// libgpiod's C API (one line request per line, held for the whole run).
#pragma once

#include <memory>
#include <string>

#include "stack.hpp"

namespace usbio::compare {

// nullptr with `error` when the devices cannot be opened or the lines not
// requested.
std::unique_ptr<Stack> open_kernel_stack(const std::string& i2c_dev, const std::string& gpiochip, std::string& error);

}  // namespace usbio::compare
