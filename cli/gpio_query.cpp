// SPDX-License-Identifier: Apache-2.0
// usbio gpio detect / gpio info: what gpiodetect and gpioinfo print.
#include <cstdio>
#include <ostream>
#include <string>

#include "adapter.hpp"
#include "clients.hpp"
#include "commands.hpp"
#include "options.hpp"
#include "output.hpp"

namespace usbio::cli {

namespace {

// Every chip of the named adapters, or of all adapters when none is named.
struct ChipRef {
    Device device;
    GpioChip chip;
};

std::vector<ChipRef> chips_of(App& app, const Args& selectors) {
    std::vector<Device> devices;
    if (selectors.empty()) {
        devices = app.context().devices();
    } else {
        for (const auto& s : selectors) devices.push_back(find_adapter(app, s));
    }
    std::vector<ChipRef> refs;
    for (const auto& dev : devices) {
        for (std::size_t c = 0; c < dev.gpio_chip_count(); ++c) refs.push_back({dev, check(dev.gpio_chip(c))});
        if (!selectors.empty() && dev.gpio_chip_count() == 0) open_gpio_chip(dev);  // fails: no GPIO lines
    }
    return refs;
}

// gpioinfo's column: right-aligned in `width`; once one field overflows, the
// rest of the line is printed unpadded.
void column(std::string& line, bool& overflowed, std::size_t width, const std::string& text) {
    if (!overflowed && text.size() <= width) {
        line += std::string(width - text.size(), ' ');
    } else {
        overflowed = true;
    }
    line += text;
}

std::string info_line(const LineInfo& li) {
    std::string line = "\tline ";
    bool overflowed = false;
    column(line, overflowed, 3, std::to_string(li.offset));
    line += ": ";
    column(line, overflowed, 12, li.name.empty() ? "unnamed" : "\"" + li.name + "\"");
    line += ' ';
    std::string consumer = "unused";
    if (li.used) consumer = li.consumer.empty() ? "kernel" : "\"" + li.consumer + "\"";
    column(line, overflowed, 12, consumer);
    line += ' ';
    column(line, overflowed, 8, std::string(li.direction == Direction::output ? "output" : "input") + " ");
    column(line, overflowed, 13, std::string(li.active_low ? "active-low" : "active-high") + " ");

    // gpioinfo's flags, in its order, whatever the direction (as the kernel
    // reports a line's drive). The pull-up, pull-down and bias-disabled flags
    // never show: no adapter has a bias setting to report.
    std::vector<std::string> flags;
    if (li.used) flags.push_back("used");
    if (li.drive == Drive::open_drain) flags.push_back("open-drain");
    if (li.drive == Drive::open_source) flags.push_back("open-source");
    if (!flags.empty()) line += "[" + join(flags, " ") + "]";
    return line;
}

Json info_json(const LineInfo& li) {
    return {{"offset", li.offset},
            {"name", li.name},
            {"used", li.used},
            {"consumer", li.consumer},
            {"direction", to_string(li.direction)},
            {"drive", to_string(li.drive)},
            {"active_low", li.active_low}};
}

}  // namespace

int run_gpio_detect(App& app, const Args& args) {
    const CommandSpec spec{"gpio detect", "[ADAPTER]...",
                           "Lists the GPIO chips of the named adapters (all adapters by default),\n"
                           "one line per chip: NAME [LABEL] (N lines), as gpiodetect prints it. A chip on\n"
                           "an adapter's bus (--client) is listed after the adapters; with the global -v\n"
                           "its line ends with \" on ADAPTER\", and with --json \"parent\" is the adapter's\n"
                           "id (empty for an adapter's own chip)."};
    po::options_description opts("Options");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;

    auto refs = chips_of(app, parsed->positional);
    if (app.json) {
        Json items = Json::array();
        for (const auto& r : refs) {
            ChipInfo ci = r.chip.info();
            items.push_back({{"adapter", r.device.info().id},
                             {"name", ci.name},
                             {"label", ci.label},
                             {"lines", ci.num_lines},
                             {"parent", r.device.info().parent}});
        }
        app.out << json_text({{"chips", items}}) << "\n";
        return 0;
    }
    for (const auto& r : refs) {
        ChipInfo ci = r.chip.info();
        app.out << ci.name << " [" << ci.label << "] (" << ci.num_lines << " lines)";
        // gpiodetect's line ends there; -v adds where a client chip sits.
        if (app.setup.verbose && !r.device.info().parent.empty())
            app.out << " on " << parent_name(app.ctx, r.device.info());
        app.out << "\n";
    }
    return 0;
}

int run_gpio_info(App& app, const Args& args) {
    const CommandSpec spec{"gpio info", "[ADAPTER]...",
                           "Shows every line of the GPIO chips of the named adapters (all adapters\n"
                           "by default): offset, name, consumer, direction, active state and flags."};
    po::options_description opts("Options");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;

    auto refs = chips_of(app, parsed->positional);
    Json json_chips = Json::array();
    for (const auto& r : refs) {
        app.where.adapter = r.device.info().id;  // a failure names this adapter, not the last one resolved
        ChipInfo ci = r.chip.info();
        std::vector<LineInfo> lines;
        for (unsigned off = 0; off < ci.num_lines; ++off) lines.push_back(check(r.chip.line_info(off)));

        if (app.json) {
            Json items = Json::array();
            for (const auto& li : lines) items.push_back(info_json(li));
            json_chips.push_back(
                {{"adapter", r.device.info().id}, {"name", ci.name}, {"label", ci.label}, {"lines", items}});
            continue;
        }
        app.out << ci.name << " - " << ci.num_lines << " lines:\n";
        for (const auto& li : lines) app.out << info_line(li) << "\n";
    }
    if (app.json) app.out << json_text({{"chips", json_chips}}) << "\n";
    return 0;
}

int run_gpio_find(App& app, const Args& args) {
    const CommandSpec spec{"gpio find", "NAME",
                           "Finds the GPIO line with this name (gpiofind) on every adapter and prints the\n"
                           "chip name and offset: \"cp2112-SIM0001 3\". The chip name names the adapter in\n"
                           "every other command, so \"usbio gpio get $(usbio gpio find GPIO.3)\" works. The\n"
                           "first match counts. Exit status 1 when no line has the name.",
                           1, 1};
    po::options_description opts("Options");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;
    const std::string& name = parsed->positional[0];

    for (const auto& r : chips_of(app, {})) {
        auto off = r.chip.find_line(name);
        if (!off) continue;
        ChipInfo ci = r.chip.info();
        if (app.json)
            app.out << json_text({{"adapter", r.device.info().id}, {"chip", ci.name}, {"offset", *off}}) << "\n";
        else
            app.out << ci.name << " " << *off << "\n";
        return 0;
    }
    throw Failure("cannot find line '" + name + "' on any adapter", std::error_code(ENOENT, std::generic_category()));
}

}  // namespace usbio::cli
