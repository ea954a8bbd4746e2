// SPDX-License-Identifier: Apache-2.0
#include "pca953x/entry.hpp"

#include <cstdio>

#include "pca953x/chip.hpp"

namespace usbio::pca953x {

namespace {

Result<Device> probe(driver::DeviceSlot& slot, DeviceInfo info, std::string_view type,
                     std::unique_ptr<driver::ClientBus> bus) {
    char addr[8];
    std::snprintf(addr, sizeof addr, "0x%02x", unsigned(bus->address()));
    auto opened = Chip::open(std::move(bus), std::string(type));
    if (!opened) return opened.error();
    std::unique_ptr<Chip> chip = std::move(opened).value();

    driver::GpioChipDesc gpio;
    gpio.name = chip->type() + "-" + addr;
    gpio.label = chip->type();
    // As NXP's data sheet names the pins: IO0_0..IO0_7, IO1_0..IO1_7.
    for (unsigned i = 0; i < kLines; ++i)
        gpio.line_names.push_back("IO" + std::to_string(i / 8) + "_" + std::to_string(i % 8));

    if (info.driver.empty()) info.driver = "pca953x";
    if (info.description.empty()) info.description = chip->type() + " 16-bit I/O expander";
    driver::DeviceBuilder builder(slot, std::move(info));
    builder.add_gpio_chip(std::move(gpio), *chip);
    return builder.publish(std::move(chip));
}

}  // namespace

const drivers::ClientEntry& pca953x_entry() {
    static const drivers::ClientEntry entry{
        "pca953x",
        {{"pca9555", "16-bit I/O port with interrupt, pull-ups (NXP PCA9555)"},
         {"pca9535", "16-bit I/O port with interrupt, no pull-ups (NXP PCA9535)"}},
        &probe,
    };
    return entry;
}

}  // namespace usbio::pca953x
