// SPDX-License-Identifier: Apache-2.0
// The USB products usbio binds, as the host looks them up: VID:PID ->
// driver, probe function and the interfaces to bind. One row per product of
// the driver table (drivers/table).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/driver_entry.hpp"

namespace usbio::host {

using drivers::ProbeFn;

struct ChipEntry {
    const char* chip = "";    // "cp2112", "ft2232h"
    const char* driver = "";  // "cp2112", "ftdi"
    uint16_t vid = 0;
    uint16_t pid = 0;
    // One device per interface listed (FT2232H: the two MPSSE ports A and B).
    std::vector<uint8_t> interfaces;
    // Null while the chip has no driver: such adapters are listed as
    // unbound ("no driver yet"), never opened for binding.
    ProbeFn probe = nullptr;
};

// The driver table's products, in table order: the table attach() uses.
const std::vector<ChipEntry>& chip_table();

const ChipEntry* find_chip(const std::vector<ChipEntry>& table, uint16_t vid, uint16_t pid);

}  // namespace usbio::host
