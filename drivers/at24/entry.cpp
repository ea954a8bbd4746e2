// SPDX-License-Identifier: Apache-2.0
#include "at24/entry.hpp"

#include <cstdio>

#include "at24/chip.hpp"

namespace usbio::at24 {

namespace {

Result<Device> probe(driver::DeviceSlot& slot, DeviceInfo info, std::string_view type,
                     std::unique_ptr<driver::ClientBus> bus) {
    const At24Type* t = find_at24_type(type);
    if (!t) return make_error(EINVAL, bus->name() + ": at24 has no type '" + std::string(type) + "'");
    const std::string name = bus->name();
    char addr[8];
    std::snprintf(addr, sizeof addr, "0x%02x", bus->address());
    auto chip = std::make_unique<Chip>(*t, std::move(bus));
    if (auto ec = chip->probe()) return make_error(ec.value(), name + ": " + t->name + ": " + chip->failure_detail());
    info.description = std::string(t->name) + " EEPROM at " + addr;
    driver::DeviceBuilder builder(slot, std::move(info));
    builder.add_eeprom(chip->desc(), *chip);
    return builder.publish(std::move(chip));
}

}  // namespace

drivers::ClientEntry client_entry() {
    drivers::ClientEntry e;
    e.name = "at24";
    for (const auto& t : at24_types()) e.types.push_back({t.name, t.description, t.addresses()});
    e.probe = &probe;
    return e;
}

}  // namespace usbio::at24
