// SPDX-License-Identifier: Apache-2.0
#include "table/client_table.hpp"

#include <cstdio>

#include "at24/entry.hpp"
#include "pca953x/entry.hpp"
#include "pcf857x/entry.hpp"
#include "usbio/clients.hpp"

namespace usbio {

namespace drivers {

const std::vector<ClientEntry>& client_table() {
    static const std::vector<ClientEntry> table = {
        at24::client_entry(),
        pca953x::pca953x_entry(),
        pcf857x::pcf857x_entry(),
    };
    return table;
}

ClientMatch find_client_type(std::string_view type) {
    for (const auto& e : client_table())
        for (const auto& t : e.types)
            if (type == t.name) return {&e, &t};
    return {};
}

}  // namespace drivers

namespace {

std::string hex_addr(unsigned a) {
    char b[8];
    std::snprintf(b, sizeof b, "0x%02x", a);
    return b;
}

std::string type_list() {
    std::string s;
    for (const auto& t : client_types()) s += (s.empty() ? "" : ", ") + t.name;
    return s;
}

}  // namespace

std::vector<ClientType> client_types() {
    std::vector<ClientType> out;
    for (const auto& e : drivers::client_table())
        for (const auto& t : e.types) out.push_back({t.name, e.name, t.description});
    return out;
}

Result<Device> bind_client(Context& ctx, const Device& adapter, std::string_view type, uint16_t addr, std::size_t bus) {
    const auto match = drivers::find_client_type(type);
    if (!match.entry)
        return make_error(EINVAL, "unknown client type '" + std::string(type) + "' (types: " + type_list() + ")");
    if (!adapter) return make_error(ENODEV, "binding " + std::string(type) + ": empty device handle");
    const DeviceInfo& ai = adapter.info();
    const std::string bus_name = (bus == 0 ? "i2c " : "i2c-" + std::to_string(bus) + " ") + hex_addr(addr);
    const std::string name = bus_name + " on " + ai.display_name();
    // Reserved addresses (general call, CBUS, 10-bit prefixes, ...) are
    // never a client's, as in Linux.
    if (addr < 0x08 || addr > 0x77)
        return make_error(EINVAL, ai.display_name() + ": " + std::string(type) + " at " + hex_addr(addr) +
                                      ": not a device address (0x08-0x77)");
    const unsigned span = match.type->addresses;
    if (span > 1 && (addr % span != 0 || addr + span - 1 > 0x77))
        return make_error(
            EINVAL, ai.display_name() + ": " + std::string(type) + " at " + hex_addr(addr) + ": the part answers at " +
                        std::to_string(span) + " addresses from a multiple of " + std::to_string(span) + " (such as " +
                        hex_addr(addr - addr % span) + "-" + hex_addr(addr - addr % span + span - 1) + ")");
    auto i2c = adapter.i2c_bus(bus);
    if (!i2c) return i2c.error();
    auto client_bus = driver::open_client_bus(*i2c, addr, span, name);
    if (!client_bus) return client_bus.error();

    DeviceInfo info;
    info.driver = match.entry->name;
    info.parent = ai.id;
    info.id = ai.id + "/i2c-" + std::to_string(bus) + "/" + hex_addr(addr);
    info.path = ai.path + "/i2c-" + std::to_string(bus) + "/" + hex_addr(addr);
    info.description = std::string(type) + " at " + hex_addr(addr);
    info.simulated = ai.simulated;
    driver::DeviceSlot slot(ctx);
    slot.depends_on(adapter);
    return match.entry->probe(slot, std::move(info), type, std::move(*client_bus));
}

}  // namespace usbio
