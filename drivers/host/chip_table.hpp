// SPDX-License-Identifier: Apache-2.0
// The USB products usbio binds: VID:PID -> driver, probe function and the
// interfaces to bind. The udev rules (udev/70-usbio.rules) cover exactly
// these; a test checks that they agree.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "usbio/context.hpp"
#include "usbio/driver/provider.hpp"
#include "usbio/usb/transport.hpp"

namespace usbio::host {

using ProbeFn = Result<driver::DeviceBuilder::Published> (*)(Context& ctx, std::unique_ptr<usb::Transport> transport);

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

// The table attach() uses.
const std::vector<ChipEntry>& chip_table();

const ChipEntry* find_chip(const std::vector<ChipEntry>& table, uint16_t vid, uint16_t pid);

}  // namespace usbio::host
