// SPDX-License-Identifier: Apache-2.0
// What a driver implements to offer chip configuration (usbio/config.hpp).
//
// The driver describes its settings once, when it registers (ConfigSpec);
// core checks names and permanence against that list and words the errors,
// so a driver only reads and writes values and answers with an errno.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace usbio::driver {

struct ConfigSpec {
    std::string name;         // "gpio.7.function"
    std::string description;  // one line
    std::string allowed;      // accepted values in words: "gpio, clock-out"
    bool writable = true;
    bool permanent = false;  // one-time programmable
};

struct ConfigValue {
    std::string value;
    bool locked = false;  // permanent settings only: no longer programmable
};

class ConfigOps {
public:
    virtual ~ConfigOps() = default;
    // Current values, one per registered spec, in the same order.
    virtual std::error_code read_config(std::vector<ConfigValue>& out) = 0;
    // Writes setting `index` of the registered specs. Core has checked that
    // it is writable and that a permanent one may be written. EINVAL for a
    // value outside the spec's `allowed`; EACCES when the chip says the
    // field is locked; EIO when the chip did not take the value.
    virtual std::error_code write_config(std::size_t index, std::string_view value) = 0;
};

}  // namespace usbio::driver
