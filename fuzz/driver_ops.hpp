// SPDX-License-Identifier: Apache-2.0
// The operation codes of cp2112_driver_fuzz: read by the harness, written
// by the seed generator.
#pragma once

#include <cstdint>

namespace usbio::fuzz {

enum DriverOp : uint8_t {
    line_info = 0,
    request_lines = 1,
    get_values = 2,
    set_values = 3,
    i2c_write = 4,
    i2c_read = 5,
    write_read = 6,
    smbus = 7,
    bitrate = 8,
    transfer = 9,
    remove = 10,
};

}  // namespace usbio::fuzz
