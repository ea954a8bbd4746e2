// SPDX-License-Identifier: Apache-2.0
#include "host/chip_table.hpp"

#include "table/driver_table.hpp"

namespace usbio::host {

const std::vector<ChipEntry>& chip_table() {
    static const std::vector<ChipEntry> table = [] {
        std::vector<ChipEntry> out;
        for (const auto& d : drivers::driver_table())
            for (const auto& p : d.products) out.push_back({p.chip, d.name, p.vid, p.pid, p.interfaces, d.probe});
        return out;
    }();
    return table;
}

const ChipEntry* find_chip(const std::vector<ChipEntry>& table, uint16_t vid, uint16_t pid) {
    for (const auto& e : table)
        if (e.vid == vid && e.pid == pid) return &e;
    return nullptr;
}

}  // namespace usbio::host
