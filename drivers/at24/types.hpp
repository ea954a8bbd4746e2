// SPDX-License-Identifier: Apache-2.0
// The EEPROM types at24 binds: size, page size and addressing, by the names
// Linux's at24 takes (24c01 .. 24c512) and ST's part names (m24c01 ..
// m24512), whose small parts have 16-byte pages where Atmel's have 8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace usbio::at24 {

struct At24Type {
    const char* name = "";         // "24c32"
    std::size_t size = 0;          // bytes
    std::size_t page_size = 0;     // bytes per write cycle
    unsigned word_bytes = 0;       // word address bytes: 1 (up to 24c16) or 2
    const char* description = "";  // "32 Kbit EEPROM, 32-byte pages"

    // One-byte parts above 256 bytes take the high memory address bits from
    // the low bits of the I2C address: a 24c16 answers at 8 addresses.
    unsigned addresses() const { return word_bytes == 1 && size > 256 ? unsigned(size / 256) : 1; }
    // The I2C address and word address of byte `offset`, from base address `addr`.
    uint16_t addr_of(uint16_t addr, std::size_t offset) const {
        return word_bytes == 1 ? uint16_t(addr + offset / 256) : addr;
    }
    // Bytes from `offset` to where the part's address counter stops
    // following (the end of a 256-byte block for one-byte parts).
    std::size_t block_left(std::size_t offset) const { return word_bytes == 1 ? 256 - offset % 256 : size - offset; }
};

const std::vector<At24Type>& at24_types();
const At24Type* find_at24_type(std::string_view name);

}  // namespace usbio::at24
