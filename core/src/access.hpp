// SPDX-License-Identifier: Apache-2.0
// How core builds handles and reaches the records behind them. The public
// classes keep these constructors and members private, so no detail type
// is reachable from a public header's public members.
#pragma once

#include <memory>
#include <utility>

#include "usbio/context.hpp"
#include "usbio/device.hpp"
#include "usbio/i2c.hpp"

namespace usbio::detail {

class ContextCore;
class DeviceCore;
class I2cBusCore;

struct Access {
    template <class Handle, class... Args>
    static Handle make(Args&&... args) {
        return Handle(std::forward<Args>(args)...);
    }
    static const std::shared_ptr<DeviceCore>& core(const Device& d) noexcept { return d.core_; }
    static ContextCore& core(Context& c) noexcept { return *c.core_; }
    static const std::shared_ptr<I2cBusCore>& core(const I2cBus& b) noexcept { return b.core_; }
};

}  // namespace usbio::detail
