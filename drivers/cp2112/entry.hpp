// SPDX-License-Identifier: Apache-2.0
// The CP2112 driver's row in the driver table.
#pragma once

#include "common/driver_entry.hpp"

namespace usbio::cp2112 {

drivers::DriverEntry driver_entry();

}  // namespace usbio::cp2112
