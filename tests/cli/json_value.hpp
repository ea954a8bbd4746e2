// SPDX-License-Identifier: Apache-2.0
// What `usbio --json` prints, read with nlohmann-json into a plain tree
// the tests can walk.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace usbio::test {

struct JsonValue {
    enum class Kind { null, boolean, number, string, array, object };
    Kind kind = Kind::null;
    bool boolean = false;
    double number = 0;
    std::string string;
    std::vector<JsonValue> array;
    std::map<std::string, JsonValue> object;

    // Member of an object; throws std::out_of_range when missing.
    const JsonValue& at(const std::string& key) const { return object.at(key); }
    bool has(const std::string& key) const { return object.count(key) != 0; }
};

// Parses one JSON document (surrounding blanks allowed); throws
// std::runtime_error saying where the text is not JSON, or names a key an
// object has twice.
JsonValue parse_json(std::string_view text);

}  // namespace usbio::test
