// SPDX-License-Identifier: Apache-2.0
#include "host/chip_table.hpp"

#include "cp2112/probe.hpp"

namespace usbio::host {

namespace {

constexpr uint16_t kFtdiVid = 0x0403;

}  // namespace

const std::vector<ChipEntry>& chip_table() {
    // FTDI: only the MPSSE-capable ports are bound (FT4232H C and D are
    // UART/bit-bang only). No MPSSE driver exists yet.
    static const std::vector<ChipEntry> table = {
        {"cp2112", "cp2112", cp2112::kVendorId, cp2112::kProductId, {0}, &cp2112::probe},
        {"ft232h", "ftdi", kFtdiVid, 0x6014, {0}, nullptr},
        {"ft2232h", "ftdi", kFtdiVid, 0x6010, {0, 1}, nullptr},
        {"ft4232h", "ftdi", kFtdiVid, 0x6011, {0, 1}, nullptr},
    };
    return table;
}

const ChipEntry* find_chip(const std::vector<ChipEntry>& table, uint16_t vid, uint16_t pid) {
    for (const auto& e : table)
        if (e.vid == vid && e.pid == pid) return &e;
    return nullptr;
}

}  // namespace usbio::host
