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

// The entry with a driver whose simulated model is the chip named `chip`
// (case-sensitive), or null.
const DriverEntry* find_sim_chip(std::string_view chip);

}  // namespace usbio::drivers
