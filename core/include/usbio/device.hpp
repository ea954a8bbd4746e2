// SPDX-License-Identifier: Apache-2.0
// A registered adapter, as applications see it.
//
// A Device handle is a counted reference to core's record of the adapter; it
// never points into driver memory, so it stays valid after the adapter is
// unplugged (state() becomes gone and every call returns ENODEV).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "usbio/config.hpp"
#include "usbio/error.hpp"
#include "usbio/export.hpp"

namespace usbio {

class Eeprom;
class GpioChip;
class I2cBus;

namespace detail {
class DeviceCore;
struct Access;
}  // namespace detail

enum class DeviceState {
    present,   // calls reach the driver
    removing,  // unplug in progress: new calls fail with ENODEV
    gone,      // driver torn down; every call fails with ENODEV
};

USBIO_EXPORT const char* to_string(DeviceState s) noexcept;

struct USBIO_EXPORT DeviceInfo {
    // Unique within a Context for its lifetime: the port and interface,
    // "usb-1-2.3:1.0" (configuration 1, interface 0) or "sim0:1.0".
    std::string id;
    std::string driver;  // "cp2112", "ft232h", ...
    uint16_t vid = 0;
    uint16_t pid = 0;
    std::string serial;       // USB serial number string, may be empty
    std::string path;         // USB port path "1-2.3", or "sim:N" for simulated adapters
    std::string description;  // product string or chip name
    bool simulated = false;
    // A client chip on an adapter's bus (usbio/clients.hpp): the adapter's
    // id; empty for an adapter.
    std::string parent;

    // "cp2112 [serial SIM0001]" or "cp2112 [sim:0]": how messages name the adapter.
    std::string display_name() const;
};

class USBIO_EXPORT Device {
public:
    Device() = default;  // an empty handle: every call fails with ENODEV

    const DeviceInfo& info() const;
    DeviceState state() const noexcept;
    bool present() const noexcept { return state() == DeviceState::present; }

    std::size_t gpio_chip_count() const;
    std::size_t i2c_bus_count() const;
    Result<GpioChip> gpio_chip(std::size_t index = 0) const;
    Result<I2cBus> i2c_bus(std::size_t index = 0) const;
    // EEPROMs: a bound EEPROM client (usbio/clients.hpp) has one.
    std::size_t eeprom_count() const;
    Result<Eeprom> eeprom(std::size_t index = 0) const;

    // Chip configuration (usbio/config.hpp): every setting the chip offers,
    // read from the chip now. An adapter with nothing to configure gives an
    // empty list.
    Result<std::vector<ConfigSetting>> config() const;
    // One setting; EINVAL naming the settings there are for an unknown name.
    Result<ConfigSetting> config(std::string_view name) const;
    // Changes one setting. EINVAL for an unknown name or a value outside
    // `allowed`; EPERM for a read-only setting, or a permanent one without
    // Permanence::permanent; EACCES when a permanent one is locked.
    Result<void> set_config(std::string_view name, std::string_view value,
                            Permanence permanence = Permanence::until_reset);

    // Blocks until the device is gone (all six removal steps done) or the
    // timeout passes; returns true when gone.
    bool wait_gone(std::chrono::milliseconds timeout) const;

    // Removes the device as an unplug would (the explicit remove of the
    // design). Synchronous unless called from inside a call on this device.
    void remove();

    explicit operator bool() const noexcept { return core_ != nullptr; }
    // The same adapter (a re-plugged adapter is a new Device).
    bool operator==(const Device& other) const noexcept { return core_ == other.core_; }

private:
    friend struct detail::Access;
    explicit Device(std::shared_ptr<detail::DeviceCore> core) : core_(std::move(core)) {}
    std::shared_ptr<detail::DeviceCore> core_;
};

}  // namespace usbio
