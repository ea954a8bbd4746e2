// SPDX-License-Identifier: Apache-2.0
// Every chip driver usbio has, and the USB products known without one.
// The udev rules (70-usbio.rules) are generated from it at build time by
// udev/generate_rules.cpp; a test checks that they agree.
#pragma once

#include <string_view>
#include <vector>

#include "common/driver_entry.hpp"

namespace usbio::drivers {

const std::vector<DriverEntry>& driver_table();

// A product that can be simulated, and the entry that drives it.
struct SimChip {
    const DriverEntry* entry = nullptr;
    const Product* product = nullptr;
};

// The product named `chip` (case-sensitive) of an entry with a driver and
// a simulated model; entry is null when there is none.
SimChip find_sim_chip(std::string_view chip);

// Every product find_sim_chip finds, in table order.
std::vector<SimChip> sim_chips();

}  // namespace usbio::drivers
