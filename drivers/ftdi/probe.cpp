// SPDX-License-Identifier: Apache-2.0
#include "ftdi/probe.hpp"

#include "common/identity.hpp"
#include "ftdi/chip.hpp"

namespace usbio::ftdi {

Result<Device> probe(driver::DeviceSlot& slot, std::unique_ptr<usb::Transport> transport) {
    const usb::DeviceIdentity ident = transport->identity();
    const Variant* var = variant_for(ident.pid);
    const std::string chip_name = var ? var->chip : "ftdi";
    DeviceInfo info = drivers::device_info(ident, "ftdi", chip_name + " MPSSE");

    auto opened = Chip::open(std::move(transport), info.display_name());
    if (!opened) return opened.error();
    std::unique_ptr<Chip> chip = std::move(opened).value();

    std::string base = chip_name + "-" + (info.serial.empty() ? info.path : info.serial);
    if (chip->variant().mpsse_ports > 1) base += "-" + std::string(1, static_cast<char>('A' + chip->port()));
    driver::GpioChipDesc gpio;
    gpio.name = base;
    gpio.label = "ftdi_mpsse_gpio";
    for (unsigned i = 0; i < chip->num_lines(); ++i) gpio.line_names.push_back(Chip::line_name(i));

    I2cBusInfo bus;
    bus.name = base + " i2c";
    // Longer messages are sent in several rounds; 64 KiB bounds one
    // transfer's command stream.
    bus.max_write = 0xffff;
    bus.max_read = 0xffff;
    bus.max_write_before_read = 0xffff;
    bus.repeated_start = true;
    bus.ten_bit = true;
    bus.quick_write = true;  // a zero-length write is one more command stream
    bus.ack_check_modes = true;
    bus.min_bitrate = kMinBitrate;
    bus.max_bitrate = kMaxBitrate;
    bus.recover = true;  // nine clocks are nine pin commands
    bus.clock_stretching = chip->variant().adaptive;

    driver::DeviceBuilder builder(slot, std::move(info));
    builder.add_gpio_chip(std::move(gpio), *chip);
    builder.add_i2c_bus(std::move(bus), *chip);
    return builder.publish(std::move(chip));
}

}  // namespace usbio::ftdi
