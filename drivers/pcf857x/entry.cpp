// SPDX-License-Identifier: Apache-2.0
#include "pcf857x/entry.hpp"

#include <cstdio>

#include "pcf857x/chip.hpp"

namespace usbio::pcf857x {

namespace {

// As NXP's data sheets name the pins: P0..P7 on the PCF8574, P00..P07 and
// P10..P17 on the PCF8575.
std::vector<std::string> line_names(unsigned lines) {
    std::vector<std::string> out;
    for (unsigned i = 0; i < lines; ++i)
        out.push_back(lines == 8 ? "P" + std::to_string(i) : "P" + std::to_string(i / 8) + std::to_string(i % 8));
    return out;
}

Result<Device> probe(driver::DeviceSlot& slot, DeviceInfo info, std::string_view type,
                     std::unique_ptr<driver::ClientBus> bus) {
    const unsigned lines = type == "pcf8575" ? 16 : 8;
    char addr[8];
    std::snprintf(addr, sizeof addr, "0x%02x", unsigned(bus->address()));
    auto opened = Chip::open(std::move(bus), std::string(type), lines);
    if (!opened) return opened.error();
    std::unique_ptr<Chip> chip = std::move(opened).value();

    driver::GpioChipDesc gpio;
    gpio.name = chip->type() + "-" + addr;
    gpio.label = chip->type();
    gpio.line_names = line_names(lines);

    if (info.driver.empty()) info.driver = "pcf857x";
    if (info.description.empty())
        info.description = chip->type() + " " + std::to_string(lines) + "-bit quasi-bidirectional I/O expander";
    driver::DeviceBuilder builder(slot, std::move(info));
    builder.add_gpio_chip(std::move(gpio), *chip);
    return builder.publish(std::move(chip));
}

}  // namespace

const drivers::ClientEntry& pcf857x_entry() {
    static const drivers::ClientEntry entry{
        "pcf857x",
        {{"pcf8574", "8-bit quasi-bidirectional I/O port (NXP PCF8574, addresses 0x20..0x27)"},
         {"pcf8574a", "8-bit quasi-bidirectional I/O port (NXP PCF8574A, addresses 0x38..0x3f)"},
         {"pcf8575", "16-bit quasi-bidirectional I/O port (NXP PCF8575)"}},
        &probe,
    };
    return entry;
}

}  // namespace usbio::pcf857x
