// SPDX-License-Identifier: Apache-2.0
// Text and JSON output helpers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace usbio::cli {

// A JSON value whose objects keep their keys in insertion order: the order
// the output is documented in.
using Json = nlohmann::ordered_json;

// `j` as one line of compact JSON. UTF-8 passes through; bytes that are not
// UTF-8 (a device's serial string could hold any) become U+FFFD, so the
// text is always valid JSON.
std::string json_text(const Json& j);

// Rows of cells as aligned columns separated by two spaces; the last column
// is not padded, so lines carry no trailing blanks.
std::string format_table(const std::vector<std::vector<std::string>>& rows);

// "10c4": a USB vendor or product ID as lsusb prints it.
std::string hex16(uint16_t v);

// The text, or "-" when it is empty (table cells, event lines).
std::string or_dash(const std::string& s);

std::string join(const std::vector<std::string>& parts, std::string_view sep);

}  // namespace usbio::cli
