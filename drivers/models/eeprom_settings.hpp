// SPDX-License-Identifier: Apache-2.0
// The settings (sim::Options::settings) of every simulated adapter whose bus
// carries a 24Cxx EEPROM: which part it is and its write cycle.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "common/sim_model.hpp"
#include "models/eeprom_24cxx.hpp"

namespace usbio::models {

inline constexpr drivers::SimSetting kEepromPartSetting{"eeprom-part",
                                                        "24c01 .. 24c512 or m24c01 .. m24512 (default 24c32)"};
inline constexpr drivers::SimSetting kEepromWriteCycleSetting{"eeprom-write-cycle-us",
                                                              "0 to 100000 microseconds (default 5000)"};

// The EEPROM the settings ask for (a 24C32 with a 5 ms write cycle when
// they say nothing); EINVAL as drivers::bad_sim_setting() for a bad value.
// `known` is the chip's whole list, for the message.
Result<Eeprom24cxxConfig> sim_eeprom_config(std::string_view chip, const sim::Options& options,
                                            std::span<const drivers::SimSetting> known);

}  // namespace usbio::models
