// SPDX-License-Identifier: Apache-2.0
// The PCF857x driver's row in the client table.
#pragma once

#include "common/client_entry.hpp"

namespace usbio::pcf857x {

const drivers::ClientEntry& pcf857x_entry();

}  // namespace usbio::pcf857x
