// SPDX-License-Identifier: Apache-2.0
#include "json_value.hpp"

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace usbio::test {

namespace {

JsonValue convert(const nlohmann::json& j) {
    JsonValue v;
    switch (j.type()) {
    case nlohmann::json::value_t::null: v.kind = JsonValue::Kind::null; break;
    case nlohmann::json::value_t::boolean:
        v.kind = JsonValue::Kind::boolean;
        v.boolean = j.get<bool>();
        break;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
        v.kind = JsonValue::Kind::number;
        v.number = j.get<double>();
        break;
    case nlohmann::json::value_t::string:
        v.kind = JsonValue::Kind::string;
        v.string = j.get<std::string>();
        break;
    case nlohmann::json::value_t::array:
        v.kind = JsonValue::Kind::array;
        for (const auto& item : j) v.array.push_back(convert(item));
        break;
    case nlohmann::json::value_t::object:
        v.kind = JsonValue::Kind::object;
        for (const auto& [key, item] : j.items()) v.object.emplace(key, convert(item));
        break;
    default: throw std::runtime_error("not JSON: binary value");
    }
    return v;
}

}  // namespace

JsonValue parse_json(std::string_view text) {
    // Strict RFC 8259: no comments, no trailing text; a key twice is an error
    // here, since usbio never prints one twice.
    std::vector<std::set<std::string>> keys;  // of each object being read
    auto check_keys = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using E = nlohmann::json::parse_event_t;
        if (event == E::object_start) keys.emplace_back();
        if (event == E::object_end) keys.pop_back();
        if (event == E::key && !keys.back().insert(parsed.get<std::string>()).second)
            throw std::runtime_error("not JSON for usbio: key " + parsed.dump() + " twice in one object");
        return true;
    };
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text.begin(), text.end(), check_keys);
    } catch (const nlohmann::json::parse_error& e) {
        throw std::runtime_error(std::string("not JSON: ") + e.what());
    }
    return convert(j);
}

}  // namespace usbio::test
