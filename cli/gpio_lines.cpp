// SPDX-License-Identifier: Apache-2.0
// usbio gpio get / gpio set: request lines, read or drive them, release.
#include <algorithm>
#include <ostream>
#include <string>

#include "adapter.hpp"
#include "adapter_set.hpp"
#include "commands.hpp"
#include "gpio_common.hpp"
#include "gpio_hold.hpp"
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

// gpioset 2's banner: "Setting line '3'..." or "Setting lines '3', and '4'...".
std::string banner(const Args& tokens) {
    if (tokens.size() == 1) return "Setting line '" + tokens[0] + "'...";
    std::string text = "Setting lines ";
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) text += "'" + tokens[i] + "', ";
    return text + "and '" + tokens.back() + "'...";
}

}  // namespace

int run_gpio_get(App& app, const Args& args) {
    const CommandSpec spec{"gpio get", "[-l] [-B BIAS] ADAPTER LINE...",
                           "Requests the lines as inputs and prints their values (0 or 1) on one line,\n"
                           "separated by spaces. LINE is an offset or a line name.",
                           2};
    po::options_description opts("Options");
    opts.add_options()("active-low,l", po::bool_switch(), "the lines are active-low: print 1 for a low level");
    add_bias_option(opts);
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;
    bias_requested(*parsed);

    Device dev = find_adapter(app, parsed->positional[0]);
    GpioChip chip = open_gpio_chip(dev);
    ChipInfo ci = chip.info();
    Args tokens(parsed->positional.begin() + 1, parsed->positional.end());
    auto offsets = resolve_lines(chip, ci, tokens, app.where);
    refuse_bias(*parsed, dev, offsets[0]);

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
        Json items = Json::array();
        for (std::size_t i = 0; i < offsets.size(); ++i)
            items.push_back({{"offset", offsets[i]}, {"line", tokens[i]}, {"value", values[i]}});
        app.out << json_text({{"chip", ci.name}, {"values", items}}) << "\n";
        return 0;
    }
    std::vector<std::string> words;
    for (int v : values) words.push_back(std::to_string(v));
    app.out << join(words, " ") << "\n";
    return 0;
}

int run_gpio_set(App& app, const Args& args) {
    const CommandSpec spec{"gpio set",
                           "[-l] [-B BIAS] [-D DRIVE] [-m MODE] [-s SEC] [-u USEC] [--banner] ADAPTER LINE=VALUE...",
                           "Requests the lines as outputs driving the given values (0 or 1), then, as\n"
                           "gpioset's --mode says: exits at once (exit, the default), waits for ENTER\n"
                           "(wait), waits -s/-u (time) or waits for SIGINT or SIGTERM (signal), and\n"
                           "releases the lines. LINE is an offset or a line name. What a line does once\n"
                           "released is up to the adapter; the lines of a --sim adapter exist only while\n"
                           "this command runs. A wait ends with an error when the adapter is unplugged.",
                           2};
    po::options_description opts("Options");
    opts.add_options()("active-low,l", po::bool_switch(), "the lines are active-low: 1 drives a low level")(
        "drive,D", po::value<std::string>()->value_name("DRIVE"), "push-pull (default), open-drain or open-source");
    add_bias_option(opts);
    add_hold_options(opts);
    opts.add_options()("banner", po::bool_switch(),
                       "print \"Setting line(s) ...\" on stdout once the lines are driven (gpioset 2's banner)");
    po::options_description sim_opts("Test aid (simulated adapters only)");
    sim_opts.add_options()("sim-unplug-while-holding", po::bool_switch(),
                           "unplug the simulated adapter once the lines are set, before the wait");
    opts.add(sim_opts);
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;

    Drive drive = parsed->given("drive") ? parse_drive(parsed->vm["drive"].as<std::string>()) : Drive::push_pull;
    bias_requested(*parsed);
    const HoldMode mode = parse_hold(*parsed);

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
    std::shared_ptr<sim::Adapter> sim;
    if (parsed->flag("sim-unplug-while-holding") && !(sim = app.adapters.sim_of(dev)))
        throw UsageError(dev.info().display_name() +
                         " is not simulated: --sim-unplug-while-holding needs a --sim adapter");
    GpioChip chip = open_gpio_chip(dev);
    ChipInfo ci = chip.info();
    auto offsets = resolve_lines(chip, ci, tokens, app.where);
    refuse_bias(*parsed, dev, offsets[0]);

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
    if (sim) sim->unplug();
    hold(app, mode, dev, parsed->flag("banner") ? banner(tokens) : std::string());
    req.release();
    return 0;
}

}  // namespace usbio::cli
