// SPDX-License-Identifier: Apache-2.0
// The FTDI MPSSE driver's row in the driver table.
#pragma once

#include "common/driver_entry.hpp"

namespace usbio::ftdi {

drivers::DriverEntry driver_entry();

}  // namespace usbio::ftdi
