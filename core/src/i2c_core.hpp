// SPDX-License-Identifier: Apache-2.0
// Core side of an i2c bus: argument checks, and the guarded call into the
// driver's I2cOps.
#pragma once

#include <mutex>
#include <vector>

#include "device_core.hpp"
#include "usbio/driver/provider.hpp"
#include "usbio/i2c.hpp"

namespace usbio::detail {

class I2cBusCore {
public:
    I2cBusCore(DeviceCore& dev, I2cBusInfo info, std::size_t index) : dev(dev), info(std::move(info)), index(index) {}

    DeviceCore& dev;
    const I2cBusInfo info;
    const std::size_t index;  // of this bus's ops in the device's DriverOps

    // A guarded call of fn(I2cOps&) on this bus (see DeviceCore::call).
    template <class Fn, class What>
    Result<void> call(Fn&& fn, What&& what) {
        return dev.call([&](const DriverOps& d) { return fn(*d.i2c[index]); }, what);
    }

    Result<void> transfer(std::span<I2cMsg> msgs);

    // Addresses bound to clients (driver::open_client_bus): one client each.
    std::mutex clients_mu;
    std::vector<uint16_t> client_addrs;
};

}  // namespace usbio::detail
