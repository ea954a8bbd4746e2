// SPDX-License-Identifier: Apache-2.0
// Naming adapters on the command line: by index, serial number, USB port
// path or id, as Context::find resolves them, or by the name of the
// adapter's GPIO chip or I2C bus (what gpio detect and i2c detect -l print,
// as libgpiod and i2c-tools accept a chip or bus name); an index may also be written
// in hex or octal ("0x1", "01") as i2c-tools reads a bus number, where no
// adapter's serial, path or id is that very text.
#pragma once

#include <string_view>

#include "app.hpp"

namespace usbio::cli {

Device find_adapter(App& app, std::string_view selector);

// The adapter's first GPIO chip / I2C bus, or a Failure saying it has none.
GpioChip open_gpio_chip(const Device& dev);
I2cBus open_i2c_bus(const Device& dev);

}  // namespace usbio::cli
