// SPDX-License-Identifier: Apache-2.0
#include <cstring>

#include "access.hpp"
#include "device_core.hpp"
#include "gpio_core.hpp"
#include "i2c_core.hpp"
#include "usbio/device.hpp"
#include "usbio/error.hpp"
#include "usbio/gpio.hpp"
#include "usbio/i2c.hpp"

namespace usbio {

const char* describe_errno(int e) noexcept {
    switch (e) {
    case ENODEV: return "device gone (ENODEV)";
    case ENXIO: return "no ACK from the target (ENXIO)";
    case ETIMEDOUT: return "timed out (ETIMEDOUT)";
    case EIO: return "I/O error (EIO)";
    case EPROTO: return "the adapter answered nonsense (EPROTO)";
    case EINVAL: return "invalid argument (EINVAL)";
    case EBUSY: return "busy (EBUSY)";
    case EOPNOTSUPP: return "not supported by this adapter (EOPNOTSUPP)";
    case EPERM: return "not permitted (EPERM)";
    case EBADF: return "handle released (EBADF)";
    case EACCES: return "permission denied (EACCES)";
    default: return std::strerror(e);
    }
}

const char* to_string(DeviceState s) noexcept {
    switch (s) {
    case DeviceState::present: return "present";
    case DeviceState::removing: return "removing";
    case DeviceState::gone: return "gone";
    }
    return "?";
}

std::string DeviceInfo::display_name() const {
    if (!serial.empty()) return driver + " [serial " + serial + "]";
    return driver + " [" + path + "]";
}

namespace {
const DeviceInfo& empty_info() {
    static const DeviceInfo info{};
    return info;
}
}  // namespace

const DeviceInfo& Device::info() const { return core_ ? core_->info() : empty_info(); }

DeviceState Device::state() const noexcept { return core_ ? core_->state() : DeviceState::gone; }

std::size_t Device::gpio_chip_count() const { return core_ ? core_->gpio.size() : 0; }

std::size_t Device::i2c_bus_count() const { return core_ ? core_->i2c.size() : 0; }

Result<GpioChip> Device::gpio_chip(std::size_t index) const {
    if (!core_) return make_error(ENODEV, "empty device handle");
    if (index >= core_->gpio.size())
        return make_error(EINVAL, core_->info().display_name() + " has no gpio chip " + std::to_string(index));
    if (core_->state() != DeviceState::present) return core_->gone_error("opening gpio chip");
    // Aliasing: the handle keeps the whole device record alive.
    return detail::Access::make<GpioChip>(std::shared_ptr<detail::GpioChipCore>(core_, core_->gpio[index].get()));
}

Result<I2cBus> Device::i2c_bus(std::size_t index) const {
    if (!core_) return make_error(ENODEV, "empty device handle");
    if (index >= core_->i2c.size())
        return make_error(EINVAL, core_->info().display_name() + " has no i2c bus " + std::to_string(index));
    if (core_->state() != DeviceState::present) return core_->gone_error("opening i2c bus");
    return detail::Access::make<I2cBus>(std::shared_ptr<detail::I2cBusCore>(core_, core_->i2c[index].get()));
}

bool Device::wait_gone(std::chrono::milliseconds timeout) const { return core_ ? core_->wait_gone(timeout) : true; }

void Device::remove() {
    if (core_) core_->remove();
}

}  // namespace usbio
