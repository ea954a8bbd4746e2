// SPDX-License-Identifier: Apache-2.0
// usbio gpio mon: edge events on input lines, as libgpiod v1.6's gpiomon
// prints them.
#include <ostream>
#include <string>

#include "adapter.hpp"
#include "adapter_set.hpp"
#include "commands.hpp"
#include "edge_format.hpp"
#include "gpio_common.hpp"
#include "numbers.hpp"
#include "options.hpp"
#include "output.hpp"
#include "waiting.hpp"

namespace usbio::cli {

int run_gpio_mon(App& app, const Args& args) {
    const CommandSpec spec{
        "gpio mon", "[-l] [-B BIAS] [-r|-f] [-n N] [-s] [-F FMT] [--poll-period US] [-t SECONDS] ADAPTER LINE...",
        "Requests the lines as inputs with edge detection and prints each edge as it\n"
        "happens (gpiomon's format):\n"
        "  event:  RISING EDGE offset: 0 timestamp: [    2116.578586756]\n"
        "LINE is an offset or a line name; timestamps are CLOCK_MONOTONIC. With --json\n"
        "each event is one JSON object on its own line.\n\n"
        "The adapters sample their lines (they have no GPIO interrupts): a pulse\n"
        "shorter than the poll period can be missed.\n\n"
        "Ends after -n events or --timeout (exit status 0), on SIGINT/SIGTERM (exit\n"
        "status 0), or with an error when the adapter is unplugged.\n\n"
        "Format specifiers for -F:\n"
        "  %o  line offset\n"
        "  %e  event type (1 rising edge, 0 falling edge)\n"
        "  %s  seconds part of the timestamp\n"
        "  %n  nanoseconds part of the timestamp\n"
        "  %%  a percent sign",
        2};
    po::options_description opts("Options");
    opts.add_options()("active-low,l", po::bool_switch(), "the lines are active-low (edges are logical)")(
        "rising-edge,r", po::bool_switch(), "only rising edges")("falling-edge,f", po::bool_switch(),
                                                                 "only falling edges (neither or both: both)")(
        "num-events,n", po::value<std::string>()->value_name("N"), "stop after N events (0: no limit)")(
        "silent,s", po::bool_switch(), "print nothing for the events")(
        "line-buffered,b", po::bool_switch(), "accepted for gpiomon compatibility: every event is flushed")(
        "format,F", po::value<std::string>()->value_name("FMT"), "print each event in this format")(
        "poll-period", po::value<std::string>()->value_name("US"),
        "sample the lines every US microseconds (100-10000000, default 5000)")(
        "timeout,t", po::value<std::string>()->value_name("SECONDS"), "stop after SECONDS (e.g. 2 or 0.5)");
    add_bias_option(opts);
    po::options_description sim_opts("Demo and test aid (simulated adapters only)");
    sim_opts.add_options()(
        "sim-toggle", po::value<std::string>()->value_name("MS"),
        "the simulated world drives the first LINE to the other level every MS milliseconds, so edges happen")(
        "sim-unplug-after-events", po::value<std::string>()->value_name("N"),
        "unplug the simulated adapter after N events (the global --sim-unplug-after counts USB transfers)");
    opts.add(sim_opts);
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;

    // Check the whole command line before touching the adapter.
    bias_requested(*parsed);
    long wanted = 0;
    if (parsed->given("num-events"))
        wanted = parse_decimal(parsed->vm["num-events"].as<std::string>(), 0, 1'000'000'000, "number of events");
    std::string format;
    const bool custom = parsed->given("format");
    if (custom) format = parsed->vm["format"].as<std::string>();
    if (custom && app.json) throw UsageError("-F/--format and --json cannot be used together");
    std::chrono::microseconds period{5000};
    if (parsed->given("poll-period"))
        period = std::chrono::microseconds(
            parse_decimal(parsed->vm["poll-period"].as<std::string>(), 100, 10'000'000, "poll period"));
    std::optional<Clock::time_point> end;
    if (parsed->given("timeout"))
        end = Clock::now() + parse_seconds(parsed->vm["timeout"].as<std::string>(), "timeout");
    std::optional<std::chrono::milliseconds> toggle_period;
    if (parsed->given("sim-toggle"))
        toggle_period = std::chrono::milliseconds(
            parse_decimal(parsed->vm["sim-toggle"].as<std::string>(), 1, 3'600'000, "--sim-toggle period"));
    long unplug_after = 0;
    if (parsed->given("sim-unplug-after-events"))
        unplug_after = parse_decimal(parsed->vm["sim-unplug-after-events"].as<std::string>(), 1, 1'000'000'000,
                                     "--sim-unplug-after-events");
    Args tokens(parsed->positional.begin() + 1, parsed->positional.end());
    for (const auto& t : tokens)
        if (t.find('=') != std::string::npos)
            throw UsageError("invalid line '" + t + "': gpio mon watches input lines (LINE=VALUE is for gpio set)");

    Edge edge = Edge::both;
    if (parsed->flag("rising-edge") && !parsed->flag("falling-edge")) edge = Edge::rising;
    if (parsed->flag("falling-edge") && !parsed->flag("rising-edge")) edge = Edge::falling;

    StopSignals stop;
    Device dev = find_adapter(app, parsed->positional[0]);
    std::shared_ptr<sim::Adapter> sim;
    if (toggle_period || unplug_after) {
        sim = app.adapters.sim_of(dev);
        if (!sim)
            throw UsageError(dev.info().display_name() +
                             " is not simulated: --sim-toggle and --sim-unplug-after-events need a --sim adapter");
    }
    GpioChip chip = open_gpio_chip(dev);
    ChipInfo ci = chip.info();
    auto offsets = resolve_lines(chip, ci, tokens, app.where);
    refuse_bias(*parsed, dev, offsets[0]);

    RequestConfig cfg;
    cfg.consumer = "usbio gpio mon";
    cfg.edge_poll_period = period;
    for (unsigned off : offsets) {
        LineSettings s;
        s.direction = Direction::input;
        s.active_low = parsed->flag("active-low");
        s.edge = edge;
        cfg.lines.push_back({off, s});
    }
    LineRequest req = check(chip.request_lines(cfg));

    std::optional<Clock::time_point> next_toggle;
    int level = 0;
    if (toggle_period) {
        next_toggle = Clock::now() + *toggle_period;
        level = sim->pin_level(offsets[0]);
    }

    const bool silent = parsed->flag("silent");
    long done = 0;
    while (!stop.raised()) {
        std::vector<EdgeEvent> got = check(req.wait_edge_events(std::chrono::milliseconds(0)));
        for (const auto& e : got) {
            if (!silent)
                app.out << (app.json ? edge_json(e) : custom ? edge_custom_line(format, e) : edge_line(e)) << "\n";
            ++done;
            if (wanted != 0 && done >= wanted) {
                app.out.flush();
                return 0;
            }
            if (unplug_after != 0 && done == unplug_after) sim->unplug();
        }
        app.out.flush();

        const auto now = Clock::now();
        if (end && now >= *end) return 0;
        if (next_toggle && now >= *next_toggle) {
            level = !level;
            sim->set_input_level(offsets[0], level);
            next_toggle = now + *toggle_period;
        }
        std::optional<Clock::time_point> wake = end;
        if (next_toggle && (!wake || *next_toggle < *wake)) wake = next_toggle;
        wait_readable({req.edge_event_fd(), stop.fd()}, wake);
    }
    return 0;
}

}  // namespace usbio::cli
