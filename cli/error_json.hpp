// SPDX-License-Identifier: Apache-2.0
// The --json form of a failure: {"error":{...}} on stdout, next to the text
// line on stderr.
#pragma once

#include <string>
#include <string_view>
#include <system_error>

#include "app.hpp"

namespace usbio::cli {

// "ENODEV" for 19: the errno's symbolic name ("E<number>" for one without).
std::string errno_name(int value);

// {"error":{"code":"ENODEV","errno":19,"message":"...","adapter":"sim0",
// "address":80,"line":3,"offset":1536,"done":1536}}; adapter, address,
// line, offset and done only where known.
std::string error_json(const std::error_code& code, std::string_view message, const Where& where);

}  // namespace usbio::cli
