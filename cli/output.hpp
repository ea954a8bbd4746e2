// SPDX-License-Identifier: Apache-2.0
// Text and JSON output helpers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace usbio::cli {

// JSON string literal of `s` (quotes included). Bytes >= 0x80 pass through,
// so UTF-8 stays UTF-8; control characters become escapes.
std::string json_string(std::string_view s);

// Builds one JSON object, keys in insertion order.
class JsonObject {
public:
    JsonObject& str(std::string_view key, std::string_view value);
    JsonObject& num(std::string_view key, long long value);
    JsonObject& flag(std::string_view key, bool value);
    // `json` must already be valid JSON text (an array, another object).
    JsonObject& raw(std::string_view key, std::string_view json);
    std::string text() const;

private:
    std::string body_;
};

// JSON array from items that are already JSON text.
std::string json_array(const std::vector<std::string>& items);
std::string json_number_array(const std::vector<long long>& values);

// Rows of cells as aligned columns separated by two spaces; the last column
// is not padded, so lines carry no trailing blanks.
std::string format_table(const std::vector<std::vector<std::string>>& rows);

// "10c4": a USB vendor or product ID as lsusb prints it.
std::string hex16(uint16_t v);

// The text, or "-" when it is empty (table cells, event lines).
std::string or_dash(const std::string& s);

std::string join(const std::vector<std::string>& parts, std::string_view sep);

}  // namespace usbio::cli
