// SPDX-License-Identifier: Apache-2.0
#include "i2c_funcs.hpp"

#include <cstdio>

namespace usbio::cli {

std::vector<I2cFunction> i2c_functionality(const I2cBusInfo& b) {
    // A write of `w` bytes, then a read of `r` bytes with a repeated START.
    auto write_read = [&](std::size_t w, std::size_t r) {
        return b.repeated_start && b.max_write_before_read >= w && b.max_read >= r;
    };
    return {
        {"I2C", true},  // transfer(): plain I2C messages, within the limits above
        {"SMBus Quick Command", b.quick_write},
        {"SMBus Send Byte", b.max_write >= 1},
        {"SMBus Receive Byte", b.max_read >= 1},
        {"SMBus Write Byte", b.max_write >= 2},
        {"SMBus Read Byte", write_read(1, 1)},
        {"SMBus Write Word", b.max_write >= 3},
        {"SMBus Read Word", write_read(1, 2)},
        {"SMBus Process Call", write_read(3, 2)},
        {"SMBus Block Write", b.max_write >= 34},  // command, count, 32 bytes
        {"SMBus Block Read", write_read(1, 33)},   // count and up to 32 bytes
        {"SMBus Block Process Call", write_read(34, 33)},
        {"SMBus PEC", false},
        {"I2C Block Write", b.max_write >= 33},
        {"I2C Block Read", write_read(1, 32)},
    };
}

std::string functionality_text(const std::string& name, const std::vector<I2cFunction>& functions) {
    std::string out = "Functionalities implemented by " + name + ":\n";
    for (const auto& f : functions) {
        char line[64];
        std::snprintf(line, sizeof line, "%-32s %s\n", std::string(f.name).c_str(), f.supported ? "yes" : "no");
        out += line;
    }
    return out;
}

void require_function(const Device& dev, const I2cBusInfo& info, std::string_view function) {
    for (const auto& f : i2c_functionality(info))
        if (f.name == function && f.supported) return;
    throw Failure(dev.info().display_name() + ": adapter does not have " + std::string(function) +
                      " capability (EOPNOTSUPP; 'usbio i2c detect -F' lists what it has)",
                  std::error_code(EOPNOTSUPP, std::generic_category()));
}

}  // namespace usbio::cli
