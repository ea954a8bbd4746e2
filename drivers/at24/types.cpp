// SPDX-License-Identifier: Apache-2.0
#include "at24/types.hpp"

namespace usbio::at24 {

// Sizes and pages as the datasheets (Atmel AT24Cxx, ST M24xxx) and the
// kernel's at24 give them.
const std::vector<At24Type>& at24_types() {
    static const std::vector<At24Type> types = {
        {"24c01", 128, 8, 1, "1 Kbit EEPROM, 8-byte pages"},
        {"24c02", 256, 8, 1, "2 Kbit EEPROM, 8-byte pages"},
        {"24c04", 512, 16, 1, "4 Kbit EEPROM, 16-byte pages, 2 addresses"},
        {"24c08", 1024, 16, 1, "8 Kbit EEPROM, 16-byte pages, 4 addresses"},
        {"24c16", 2048, 16, 1, "16 Kbit EEPROM, 16-byte pages, 8 addresses"},
        {"24c32", 4096, 32, 2, "32 Kbit EEPROM, 32-byte pages"},
        {"24c64", 8192, 32, 2, "64 Kbit EEPROM, 32-byte pages"},
        {"24c128", 16384, 64, 2, "128 Kbit EEPROM, 64-byte pages"},
        {"24c256", 32768, 64, 2, "256 Kbit EEPROM, 64-byte pages"},
        {"24c512", 65536, 128, 2, "512 Kbit EEPROM, 128-byte pages"},
        {"m24c01", 128, 16, 1, "ST 1 Kbit EEPROM, 16-byte pages"},
        {"m24c02", 256, 16, 1, "ST 2 Kbit EEPROM, 16-byte pages"},
        {"m24c04", 512, 16, 1, "ST 4 Kbit EEPROM, 16-byte pages, 2 addresses"},
        {"m24c08", 1024, 16, 1, "ST 8 Kbit EEPROM, 16-byte pages, 4 addresses"},
        {"m24c16", 2048, 16, 1, "ST 16 Kbit EEPROM, 16-byte pages, 8 addresses"},
        {"m24c32", 4096, 32, 2, "ST 32 Kbit EEPROM, 32-byte pages"},
        {"m24c64", 8192, 32, 2, "ST 64 Kbit EEPROM, 32-byte pages"},
        {"m24128", 16384, 64, 2, "ST 128 Kbit EEPROM, 64-byte pages"},
        {"m24256", 32768, 64, 2, "ST 256 Kbit EEPROM, 64-byte pages"},
        {"m24512", 65536, 128, 2, "ST 512 Kbit EEPROM, 128-byte pages"},
    };
    return types;
}

const At24Type* find_at24_type(std::string_view name) {
    for (const auto& t : at24_types())
        if (name == t.name) return &t;
    return nullptr;
}

}  // namespace usbio::at24
