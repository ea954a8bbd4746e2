// SPDX-License-Identifier: Apache-2.0
// Checking sim::Options::settings against the settings a model reads.
#include <cerrno>

#include "common/sim_model.hpp"

namespace usbio::drivers {

namespace {

std::string listing(std::span<const SimSetting> known) {
    if (known.empty()) return "this chip has none";
    std::string out;
    for (const auto& s : known) out += (out.empty() ? "" : ", ") + std::string(s.name) + ": " + std::string(s.values);
    return out;
}

}  // namespace

Result<void> check_sim_settings(std::string_view chip, const sim::Options& options, std::span<const SimSetting> known) {
    for (const auto& [name, value] : options.settings) {
        bool found = false;
        for (const auto& s : known) found = found || s.name == name;
        if (!found)
            return make_error(EINVAL, "simulated " + std::string(chip) + ": unknown setting '" + name +
                                          "' (settings: " + listing(known) + ")");
    }
    return {};
}

Error bad_sim_setting(std::string_view chip, std::string_view name, std::string_view value,
                      std::span<const SimSetting> known) {
    return make_error(EINVAL, "simulated " + std::string(chip) + ": setting '" + std::string(name) + "' cannot be '" +
                                  std::string(value) + "' (settings: " + listing(known) + ")");
}

}  // namespace usbio::drivers
