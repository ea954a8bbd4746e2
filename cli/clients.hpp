// SPDX-License-Identifier: Apache-2.0
// Chips on an adapter's I2C bus from the command line: --client
// ADAPTER:TYPE@ADDR binds one before the command runs, as Linux's i2c
// new_device does, and `usbio eeprom` binds its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app.hpp"

namespace usbio::cli {

// "0:pca9555@0x20", "sim0:1.0:24c32@0x50" (the adapter ends at the last ':'
// before the '@'). A UsageError for a malformed spec, an address outside
// 0x08-0x77 or a type client_types() does not know (the message lists them).
ClientSpec parse_client_spec(std::string_view text);

// The type names of `driver` ("at24": the EEPROMs), or of every client
// driver when `driver` is empty.
std::vector<std::string> client_type_names(std::string_view driver = {});

// A UsageError naming `what` and listing `names` unless `type` is one of
// them.
void check_client_type(std::string_view type, const std::vector<std::string>& names, std::string_view what);

// Binds every --client of app.setup, in order; a Failure naming the spec
// when one cannot be bound.
void bind_clients(App& app);

// How messages name the adapter a client sits on ("cp2112 [serial
// SIM0001]"); its id when it is no longer present; empty for an adapter.
std::string parent_name(Context& ctx, const DeviceInfo& info);

}  // namespace usbio::cli
