// Core side of an i2c bus: argument checks, and the guarded call into the
// driver's I2cOps.
#pragma once

#include "device_core.hpp"
#include "usbio/driver/provider.hpp"
#include "usbio/i2c.hpp"

namespace usbio::detail {

class I2cBusCore {
public:
    I2cBusCore(DeviceCore& dev, I2cBusInfo info, driver::I2cOps& ops) : dev(dev), info(std::move(info)), ops(&ops) {}

    DeviceCore& dev;
    const I2cBusInfo info;
    // Belongs to the provider: dereference only inside dev.call().
    driver::I2cOps* const ops;

    Result<void> transfer(std::span<I2cMsg> msgs);
};

}  // namespace usbio::detail
