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

std::vector<SimChip> sim_chips() {
    std::vector<SimChip> out;
    for (const auto& e : driver_table())
        if (e.sim_model && e.probe)
            for (const auto& p : e.products) out.push_back({&e, &p});
    return out;
}

SimChip find_sim_chip(std::string_view chip) {
    for (const auto& c : sim_chips())
        if (c.product->chip == chip) return c;
    return {};
}

}  // namespace usbio::drivers
