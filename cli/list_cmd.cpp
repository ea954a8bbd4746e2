// SPDX-License-Identifier: Apache-2.0
// usbio list: the adapters, with the index other commands accept, and the
// supported adapters that were found but cannot be used (with the reason).
#include <algorithm>
#include <ostream>

#include "adapter_set.hpp"
#include "commands.hpp"
#include "options.hpp"
#include "output.hpp"

namespace usbio::cli {

namespace {

Json adapter_json(std::size_t index, const Device& dev) {
    const DeviceInfo& info = dev.info();
    return {{"index", index},
            {"id", info.id},
            {"driver", info.driver},
            {"vid", hex16(info.vid)},
            {"pid", hex16(info.pid)},
            {"serial", info.serial},
            {"path", info.path},
            {"state", to_string(dev.state())},
            {"description", info.description},
            {"simulated", info.simulated},
            {"gpio_chips", dev.gpio_chip_count()},
            {"i2c_buses", dev.i2c_bus_count()},
            {"parent", info.parent}};
}

Json unbound_json(const usb::UnboundAdapter& u) {
    return {{"chip", u.chip},
            {"driver", u.driver},
            {"vid", hex16(u.vid)},
            {"pid", hex16(u.pid)},
            {"path", u.path},
            {"interface", u.interface},
            {"serial", u.serial},
            {"errno", u.reason.code.value()},
            {"reason", message_of(u.reason)}};
}

}  // namespace

int run_list(App& app, const Args& args) {
    const CommandSpec spec{"list", "",
                           "Lists the adapters: index, driver, USB VID:PID, serial number, id (the USB\n"
                           "port path and interface, \"usb-1-2.3:1.0\"; each port of a multi-port chip\n"
                           "is an adapter of its own), state and description. Any of index, serial,\n"
                           "path or id names an adapter in other commands (serial and path name a\n"
                           "chip's first port). Indexes: --sim adapters first, then real adapters in\n"
                           "USB enumeration order.\n\n"
                           "Supported adapters that are plugged in but cannot be used follow under\n"
                           "\"Not usable:\" with the reason: no driver for that chip yet, no permission\n"
                           "(install the udev rules), or busy (another program holds it). With --json\n"
                           "they are the \"unbound\" array (always present, possibly empty).\n\n"
                           "Chips bound on an adapter's bus (--client) are devices too, after the\n"
                           "adapters; a PARENT column then gives the id of the adapter each sits on\n"
                           "(\"parent\" in --json; empty for an adapter).",
                           0, 0};
    po::options_description opts("Options");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;

    auto devices = app.context().devices();
    auto unbound = app.adapters.unbound();
    if (app.json) {
        Json items = Json::array();
        for (std::size_t i = 0; i < devices.size(); ++i) items.push_back(adapter_json(i, devices[i]));
        Json unbound_items = Json::array();
        for (const auto& u : unbound) unbound_items.push_back(unbound_json(u));
        app.out << json_text({{"adapters", items}, {"unbound", unbound_items}}) << "\n";
        return 0;
    }

    // Chips on an adapter's bus (--client) add a PARENT column.
    const bool clients =
        std::any_of(devices.begin(), devices.end(), [](const Device& d) { return !d.info().parent.empty(); });
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"INDEX", "DRIVER", "VID:PID", "SERIAL", "ID", "STATE", "DESCRIPTION"});
    if (clients) rows.back().push_back("PARENT");
    for (std::size_t i = 0; i < devices.size(); ++i) {
        const DeviceInfo& info = devices[i].info();
        rows.push_back({std::to_string(i), info.driver, hex16(info.vid) + ":" + hex16(info.pid), or_dash(info.serial),
                        or_dash(info.id), to_string(devices[i].state()), or_dash(info.description)});
        if (clients) rows.back().push_back(or_dash(info.parent));
    }
    app.out << format_table(rows);

    if (unbound.empty()) return 0;
    std::vector<std::vector<std::string>> urows;
    urows.push_back({"CHIP", "VID:PID", "PATH", "INTERFACE", "SERIAL", "REASON"});
    for (const auto& u : unbound)
        urows.push_back({u.chip, hex16(u.vid) + ":" + hex16(u.pid), or_dash(u.path),
                         u.interface < 0 ? "-" : std::to_string(u.interface), or_dash(u.serial), message_of(u.reason)});
    app.out << "\nNot usable:\n" << format_table(urows);
    return 0;
}

}  // namespace usbio::cli
