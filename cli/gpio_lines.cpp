// SPDX-License-Identifier: Apache-2.0
// usbio gpio get / gpio set: request lines, read or drive them, release.
#include <algorithm>
#include <ostream>
#include <string>

#include "adapter.hpp"
#include "commands.hpp"
#include "gpio_common.hpp"
#include "options.hpp"
#include "output.hpp"

namespace usbio::cli {

namespace {

int parse_value(const std::string& assignment, const std::string& text) {
    if (text == "1" || text == "active" || text == "on" || text == "true") return 1;
    if (text == "0" || text == "inactive" || text == "off" || text == "false") return 0;
    throw UsageError("invalid value in '" + assignment + "': expected 0 or 1");
}

Drive parse_drive(const std::string& text) {
    if (text == "push-pull") return Drive::push_pull;
    if (text == "open-drain") return Drive::open_drain;
    if (text == "open-source") return Drive::open_source;
    throw UsageError("invalid drive '" + text + "': expected push-pull, open-drain or open-source");
}

}  // namespace

int run_gpio_get(App& app, const Args& args) {
    const CommandSpec spec{"gpio get", "[-l] ADAPTER LINE...",
                           "Requests the lines as inputs and prints their values (0 or 1) on one line,\n"
                           "separated by spaces. LINE is an offset or a line name.",
                           2};
    po::options_description opts("Options");
    opts.add_options()("active-low,l", po::bool_switch(), "the lines are active-low: print 1 for a low level");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;

    Device dev = find_adapter(app, parsed->positional[0]);
    GpioChip chip = open_gpio_chip(dev);
    ChipInfo ci = chip.info();
    Args tokens(parsed->positional.begin() + 1, parsed->positional.end());
    auto offsets = resolve_lines(chip, ci, tokens, app.where);

    RequestConfig cfg;
    for (unsigned off : offsets) {
        LineSettings s;
        s.direction = Direction::input;
        s.active_low = parsed->flag("active-low");
        cfg.lines.push_back({off, s});
    }
    LineRequest req = check(chip.request_lines(cfg));
    // One read for all lines; the request reports them in its own order.
    std::vector<int> got = check(req.get_values());
    std::vector<unsigned> order = req.offsets();
    req.release();
    if (got.size() != order.size()) throw Failure(ci.name + ": wrong number of values read");
    std::vector<int> values;
    for (unsigned off : offsets) {
        auto at = std::find(order.begin(), order.end(), off);
        if (at == order.end()) throw Failure(ci.name + ": line " + std::to_string(off) + " missing from the request");
        values.push_back(got[static_cast<std::size_t>(at - order.begin())]);
    }

    if (app.json) {
        std::vector<std::string> items;
        for (std::size_t i = 0; i < offsets.size(); ++i)
            items.push_back(
                JsonObject().num("offset", offsets[i]).str("line", tokens[i]).num("value", values[i]).text());
        app.out << JsonObject().str("chip", ci.name).raw("values", json_array(items)).text() << "\n";
        return 0;
    }
    std::vector<std::string> words;
    for (int v : values) words.push_back(std::to_string(v));
    app.out << join(words, " ") << "\n";
    return 0;
}

int run_gpio_set(App& app, const Args& args) {
    const CommandSpec spec{"gpio set", "[-l] [-D DRIVE] ADAPTER LINE=VALUE...",
                           "Requests the lines as outputs driving the given values (0 or 1), then exits\n"
                           "(gpioset's exit mode). LINE is an offset or a line name. The lines of a\n"
                           "--sim adapter exist only while this command runs.",
                           2};
    po::options_description opts("Options");
    opts.add_options()("active-low,l", po::bool_switch(), "the lines are active-low: 1 drives a low level")(
        "drive,D", po::value<std::string>()->value_name("DRIVE"), "push-pull (default), open-drain or open-source");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;

    Drive drive = parsed->given("drive") ? parse_drive(parsed->vm["drive"].as<std::string>()) : Drive::push_pull;

    // Check the whole command line before touching the adapter.
    Args tokens;
    std::vector<int> values;
    for (auto it = parsed->positional.begin() + 1; it != parsed->positional.end(); ++it) {
        auto eq = it->rfind('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError("invalid line assignment '" + *it + "': expected LINE=VALUE");
        tokens.push_back(it->substr(0, eq));
        values.push_back(parse_value(*it, it->substr(eq + 1)));
    }

    Device dev = find_adapter(app, parsed->positional[0]);
    GpioChip chip = open_gpio_chip(dev);
    ChipInfo ci = chip.info();
    auto offsets = resolve_lines(chip, ci, tokens, app.where);

    RequestConfig cfg;
    for (std::size_t i = 0; i < offsets.size(); ++i) {
        LineSettings s;
        s.direction = Direction::output;
        s.drive = drive;
        s.active_low = parsed->flag("active-low");
        s.output_value = values[i] != 0;
        cfg.lines.push_back({offsets[i], s});
    }
    LineRequest req = check(chip.request_lines(cfg));
    req.release();
    return 0;
}

}  // namespace usbio::cli
