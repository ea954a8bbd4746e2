// SPDX-License-Identifier: Apache-2.0
// The FT232H model as a bench device: its one MPSSE port (interface 0,
// bulk IN 0x81 / OUT 0x02) with the 24C32 EEPROM at 0x50 and the LM75 at
// 0x48 on its I2C bus, and jumpers between GPIO lines.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "bench_device.hpp"
#include "usbio/usb/device_model.hpp"

namespace usbio::vbench {

// Jumper pins are usbio's GPIO line numbers (0..4 ADBUS3..7, 5..12
// ACBUS0..7). World commands:
//   temperature MILLICELSIUS   the LM75's reading
//   input LINE 0|1|-1          an outside driver on a line (-1: none)
//   nack ADDR7 0|1             a target NACKs its address
// nullptr with `error` for a bad jumper.
std::shared_ptr<usb::DeviceModel> make_ft232h(const BenchOptions& o, std::function<void()>& after_change,
                                              BenchDevice::World& world, std::string& error);

}  // namespace usbio::vbench
