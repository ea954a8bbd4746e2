// SPDX-License-Identifier: Apache-2.0
#include "error_json.hpp"

#include <cstring>

#include "output.hpp"

namespace usbio::cli {

std::string errno_name(int value) {
    // glibc's strerrorname_np gives the name itself, never a translation.
    if (const char* name = strerrorname_np(value)) return name;
    return "E" + std::to_string(value);
}

std::string error_json(const std::error_code& code, std::string_view message, const Where& where) {
    JsonObject e;
    e.str("code", errno_name(code.value())).num("errno", code.value()).str("message", message);
    if (!where.adapter.empty()) e.str("adapter", where.adapter);
    if (where.address) e.num("address", *where.address);
    if (where.line) e.num("line", *where.line);
    return JsonObject().raw("error", e.text()).text();
}

}  // namespace usbio::cli
