// SPDX-License-Identifier: Apache-2.0
#include "cp2112/probe.hpp"

#include "common/identity.hpp"
#include "cp2112/chip.hpp"

namespace usbio::cp2112 {

Result<Device> probe(driver::DeviceSlot& slot, std::unique_ptr<usb::Transport> transport) {
    const usb::DeviceIdentity ident = transport->identity();
    DeviceInfo info = drivers::device_info(ident, "cp2112", "CP2112 USB-to-SMBus bridge");

    auto opened = Chip::open(std::move(transport), info.display_name());
    if (!opened) return opened.error();
    std::unique_ptr<Chip> chip = std::move(opened).value();

    const std::string base = "cp2112-" + (info.serial.empty() ? info.path : info.serial);
    driver::GpioChipDesc gpio;
    gpio.name = base;
    gpio.label = "cp2112_gpio";
    for (unsigned i = 0; i < kNumGpios; ++i) gpio.line_names.push_back("GPIO." + std::to_string(i));

    I2cBusInfo bus;
    bus.name = base + " i2c";
    bus.max_write = kMaxWrite;
    bus.max_read = kMaxRead;
    bus.max_write_before_read = kMaxWriteBeforeRead;
    bus.repeated_start = chip->has_repeated_start();
    bus.quick_write = false;  // every chip request moves at least one byte
    bus.min_bitrate = kMinBitrate;
    bus.max_bitrate = kMaxBitrate;

    driver::DeviceBuilder builder(slot, std::move(info));
    builder.add_gpio_chip(std::move(gpio), *chip);
    builder.add_i2c_bus(std::move(bus), *chip);
    builder.add_config(config_specs(), *chip);
    return builder.publish(std::move(chip));
}

}  // namespace usbio::cp2112
