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
    Json e{{"code", errno_name(code.value())}, {"errno", code.value()}, {"message", message}};
    if (!where.adapter.empty()) e["adapter"] = where.adapter;
    if (where.address) e["address"] = *where.address;
    if (where.line) e["line"] = *where.line;
    if (where.offset) e["offset"] = *where.offset;
    if (where.done) e["done"] = *where.done;
    return json_text({{"error", e}});
}

}  // namespace usbio::cli
