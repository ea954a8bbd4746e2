// SPDX-License-Identifier: Apache-2.0
// What an adapter's I2C bus can do, in i2cdetect -F's terms (Linux's
// I2C_FUNC_* bits), worked out from the limits the library reports.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app.hpp"

namespace usbio::cli {

struct I2cFunction {
    std::string_view name;  // "SMBus Read Byte", as i2c-tools 4.3 prints it
    bool supported = false;
};

// The 15 lines of i2cdetect -F (i2c-tools 4.3), in its order. SMBus
// transactions are supported where one transfer of the adapter can carry
// them (a read after a write needs a repeated START); PEC never is (no
// adapter computes it).
std::vector<I2cFunction> i2c_functionality(const I2cBusInfo& info);

// i2cdetect -F's text: "Functionalities implemented by NAME:" and one
// "%-32s yes|no" line per function.
std::string functionality_text(const std::string& name, const std::vector<I2cFunction>& functions);

// A Failure (EOPNOTSUPP) naming the adapter unless its bus has `function`
// ("SMBus Block Read"), as i2c-tools' "Adapter does not have ... capability".
void require_function(const Device& dev, const I2cBusInfo& info, std::string_view function);

}  // namespace usbio::cli
