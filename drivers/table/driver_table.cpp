// SPDX-License-Identifier: Apache-2.0
#include "table/driver_table.hpp"

#include "cp2112/entry.hpp"
#include "ftdi/entry.hpp"

namespace usbio::drivers {

const std::vector<DriverEntry>& driver_table() {
    static const std::vector<DriverEntry> table = {
        cp2112::driver_entry(),
        ftdi::driver_entry(),
    };
    return table;
}

const DriverEntry* find_sim_chip(std::string_view chip) {
    for (const auto& e : driver_table())
        if (e.sim_model && e.probe && !e.products.empty() && e.products.front().chip == chip) return &e;
    return nullptr;
}

}  // namespace usbio::drivers
