// usbio list: the adapters, with the index other commands accept.
#include <cstdio>
#include <ostream>

#include "commands.hpp"
#include "options.hpp"
#include "output.hpp"

namespace usbio::cli {

namespace {

std::string hex16(uint16_t v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04x", v);
    return buf;
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

}  // namespace

int run_list(App& app, const Args& args) {
    const CommandSpec spec{"list", "",
                           "Lists the adapters: index, driver, USB VID:PID, serial number, USB port path,\n"
                           "state and description. Any of index, serial, path or id names an adapter\n"
                           "in other commands.",
                           0, 0};
    po::options_description opts("Options");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;

    auto devices = app.ctx.devices();
    if (app.json) {
        std::vector<std::string> items;
        for (std::size_t i = 0; i < devices.size(); ++i) {
            const DeviceInfo& info = devices[i].info();
            items.push_back(JsonObject()
                                .num("index", static_cast<long long>(i))
                                .str("id", info.id)
                                .str("driver", info.driver)
                                .str("vid", hex16(info.vid))
                                .str("pid", hex16(info.pid))
                                .str("serial", info.serial)
                                .str("path", info.path)
                                .str("state", to_string(devices[i].state()))
                                .str("description", info.description)
                                .flag("simulated", info.simulated)
                                .num("gpio_chips", static_cast<long long>(devices[i].gpio_chip_count()))
                                .num("i2c_buses", static_cast<long long>(devices[i].i2c_bus_count()))
                                .text());
        }
        app.out << JsonObject().raw("adapters", json_array(items)).text() << "\n";
        return 0;
    }

    std::vector<std::vector<std::string>> rows;
    rows.push_back({"INDEX", "DRIVER", "VID:PID", "SERIAL", "PATH", "STATE", "DESCRIPTION"});
    for (std::size_t i = 0; i < devices.size(); ++i) {
        const DeviceInfo& info = devices[i].info();
        rows.push_back({std::to_string(i), info.driver, hex16(info.vid) + ":" + hex16(info.pid),
                        or_dash(info.serial), or_dash(info.path), to_string(devices[i].state()),
                        or_dash(info.description)});
    }
    app.out << format_table(rows);
    return 0;
}

}  // namespace usbio::cli
