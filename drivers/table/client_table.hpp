// SPDX-License-Identifier: Apache-2.0
// Every client driver usbio has (chips on an adapter's I2C bus). bind_client()
// and client_types() (usbio/clients.hpp) read it and nothing chip-specific.
#pragma once

#include <string_view>
#include <vector>

#include "common/client_entry.hpp"

namespace usbio::drivers {

const std::vector<ClientEntry>& client_table();

struct ClientMatch {
    const ClientEntry* entry = nullptr;  // null: no driver binds the type
    const ClientTypeDesc* type = nullptr;
};

// The entry binding `type` (case-sensitive, as Linux's new_device).
ClientMatch find_client_type(std::string_view type);

}  // namespace usbio::drivers
