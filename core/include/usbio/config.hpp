// SPDX-License-Identifier: Apache-2.0
// Chip configuration: what an adapter lets you set beyond its lines and
// buses (bus timeouts, pin functions, the USB identity it enumerates with).
//
// Settings are named in dotted words ("i2c.bitrate", "gpio.7.function",
// "usb.serial") and their values are text, so one API and one command
// cover every chip. Device::config() lists what a chip offers;
// Device::set_config() changes one setting.
//
// Some chips keep part of their configuration in one-time programmable
// memory (the CP2112's USB identity): such a setting is `permanent`, a write
// needs Permanence::permanent, and once written (or locked) it is `locked`.
#pragma once

#include <string>

namespace usbio {

// Whether a write may change one-time programmable memory.
enum class Permanence {
    until_reset,  // settings the chip forgets on reset or re-plug only
    permanent,    // also one-time programmable fields: cannot be undone
};

struct ConfigSetting {
    std::string name;         // "i2c.bitrate"
    std::string value;        // as set_config() accepts it: "100000"
    std::string description;  // what it is, one line
    std::string allowed;      // the values set_config() accepts, in words
    bool writable = true;     // false: reported only (a version number)
    bool permanent = false;   // one-time programmable
    bool locked = false;      // permanent and no longer programmable
};

}  // namespace usbio
