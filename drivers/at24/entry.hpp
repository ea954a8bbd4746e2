// SPDX-License-Identifier: Apache-2.0
// The at24 driver's row in the client table.
#pragma once

#include "common/client_entry.hpp"

namespace usbio::at24 {

drivers::ClientEntry client_entry();

}  // namespace usbio::at24
