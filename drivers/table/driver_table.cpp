// SPDX-License-Identifier: Apache-2.0
#include "table/driver_table.hpp"

#include "cp2112/entry.hpp"

namespace usbio::drivers {

namespace {

constexpr uint16_t kFtdiVid = 0x0403;

// FTDI: only the MPSSE-capable ports are bound (FT4232H C and D are
// UART/bit-bang only). No MPSSE driver exists yet.
DriverEntry ftdi_without_driver() {
    return {"ftdi",
            {{"ft232h", kFtdiVid, 0x6014, {0}},
             {"ft2232h", kFtdiVid, 0x6010, {0, 1}},
             {"ft4232h", kFtdiVid, 0x6011, {0, 1}}},
            nullptr,
            nullptr};
}

}  // namespace

const std::vector<DriverEntry>& driver_table() {
    static const std::vector<DriverEntry> table = {
        cp2112::driver_entry(),
        ftdi_without_driver(),
    };
    return table;
}

const DriverEntry* find_sim_chip(std::string_view chip) {
    for (const auto& e : driver_table())
        if (e.sim_model && e.probe && !e.products.empty() && e.products.front().chip == chip) return &e;
    return nullptr;
}

}  // namespace usbio::drivers
