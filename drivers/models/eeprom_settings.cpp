// SPDX-License-Identifier: Apache-2.0
#include "models/eeprom_settings.hpp"

#include <charconv>

namespace usbio::models {

Result<Eeprom24cxxConfig> sim_eeprom_config(std::string_view chip, const sim::Options& options,
                                            std::span<const drivers::SimSetting> known) {
    Eeprom24cxxConfig config = *eeprom_24cxx_part("24c32");
    if (auto it = options.settings.find(std::string(kEepromPartSetting.name)); it != options.settings.end()) {
        auto part = eeprom_24cxx_part(it->second);
        if (!part) return drivers::bad_sim_setting(chip, it->first, it->second, known);
        config = *part;
    }
    if (auto it = options.settings.find(std::string(kEepromWriteCycleSetting.name)); it != options.settings.end()) {
        const std::string& v = it->second;
        unsigned us = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), us);
        if (ec != std::errc() || end != v.data() + v.size() || us > 100000)
            return drivers::bad_sim_setting(chip, it->first, v, known);
        config.write_cycle = std::chrono::microseconds(us);
    }
    return config;
}

}  // namespace usbio::models
