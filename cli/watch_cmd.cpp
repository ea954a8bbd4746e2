// SPDX-License-Identifier: Apache-2.0
// usbio watch: adapter arrivals and departures as they happen.
//
// The event stream is opened before any adapter is attached, so adapters
// present at the start are reported as arrivals like later ones.
#include <time.h>

#include <cstdio>
#include <ostream>

#include "adapter_set.hpp"
#include "commands.hpp"
#include "numbers.hpp"
#include "options.hpp"
#include "output.hpp"
#include "waiting.hpp"

namespace usbio::cli {

namespace {

// "2025-01-05T14:03:07.123": local time for people, "...Z" (UTC) for JSON.
std::string timestamp(bool utc) {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    tm parts{};
    if (utc)
        ::gmtime_r(&ts.tv_sec, &parts);
    else
        ::localtime_r(&ts.tv_sec, &parts);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &parts);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03ld%s", date, ts.tv_nsec / 1'000'000, utc ? "Z" : "");
    return out;
}

std::string event_line(const Event& e, bool json) {
    const DeviceInfo& d = e.device;
    if (json)
        return json_text({{"time", timestamp(true)},
                          {"event", to_string(e.type)},
                          {"id", d.id},
                          {"driver", d.driver},
                          {"vid", hex16(d.vid)},
                          {"pid", hex16(d.pid)},
                          {"serial", d.serial},
                          {"path", d.path},
                          {"description", d.description},
                          {"simulated", d.simulated}});
    return timestamp(false) + " " + to_string(e.type) + " " + or_dash(d.driver) + " " + hex16(d.vid) + ":" +
           hex16(d.pid) + " " + or_dash(d.serial) + " " + or_dash(d.path);
}

// --sim-cycle: unplugs and re-plugs the simulated adapters, one at a time,
// a step every `period`. A re-plug waits for the removal event of the
// unplugged adapter, so the steps never race the removal.
class SimCycle {
public:
    SimCycle(const std::vector<std::shared_ptr<sim::Adapter>>& sims, std::chrono::milliseconds period)
        : sims_(sims), period_(period), next_(Clock::now() + period) {}

    std::optional<Clock::time_point> deadline() const {
        if (waiting_for_removal_) return std::nullopt;
        return next_;
    }

    void on_event(const Event& e) {
        if (!waiting_for_removal_ || e.type != Event::Type::removed || !e.device.simulated) return;
        if (e.device.serial != sims_[current_]->serial()) return;
        waiting_for_removal_ = false;
        next_ = Clock::now() + period_;
    }

    void step() {
        if (waiting_for_removal_ || Clock::now() < next_) return;
        auto& sim = sims_[current_];
        if (sim->plugged()) {
            sim->unplug();
            waiting_for_removal_ = true;
            return;
        }
        check(sim->plug());
        current_ = (current_ + 1) % sims_.size();
        next_ = Clock::now() + period_;
    }

private:
    const std::vector<std::shared_ptr<sim::Adapter>>& sims_;
    std::chrono::milliseconds period_;
    Clock::time_point next_;
    std::size_t current_ = 0;
    bool waiting_for_removal_ = false;
};

}  // namespace

int run_watch(App& app, const Args& args) {
    const CommandSpec spec{"watch", "[--count N] [--timeout SECONDS]",
                           "Prints adapter arrivals and departures as they happen, one line per event:\n"
                           "time (local, ISO 8601), event (arrived or removed), driver, VID:PID, serial\n"
                           "and USB port path ('-' when empty). Adapters present at the start come\n"
                           "first, as arrivals (--sim ones, then real ones). With --json each event is\n"
                           "one JSON object on its own line (time in UTC).\n\n"
                           "Ends after --count events, after --timeout, or on SIGINT/SIGTERM (Ctrl-C),\n"
                           "with exit status 0.",
                           0, 0};
    po::options_description opts("Options");
    opts.add_options()("count,n", po::value<std::string>()->value_name("N"), "stop after N events")(
        "timeout,t", po::value<std::string>()->value_name("SECONDS"), "stop after SECONDS (e.g. 2 or 0.5)");
    po::options_description sim_opts("Demo and test aid (simulated adapters only)");
    sim_opts.add_options()("sim-cycle", po::value<std::string>()->value_name("MS"),
                           "unplug and re-plug the --sim adapters, one at a time, a step every MS milliseconds");
    opts.add(sim_opts);
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;

    long count = 0;  // 0: no limit
    if (parsed->given("count")) count = parse_decimal(parsed->vm["count"].as<std::string>(), 1, 1'000'000'000, "count");
    std::optional<Clock::time_point> end;
    if (parsed->given("timeout"))
        end = Clock::now() + parse_seconds(parsed->vm["timeout"].as<std::string>(), "timeout");
    std::optional<std::chrono::milliseconds> cycle_period;
    if (parsed->given("sim-cycle")) {
        cycle_period = std::chrono::milliseconds(
            parse_decimal(parsed->vm["sim-cycle"].as<std::string>(), 1, 3'600'000, "--sim-cycle period"));
        if (!app.adapters.wants_sims()) throw UsageError("--sim-cycle needs a simulated adapter (--sim CHIP)");
    }

    StopSignals stop;
    EventStream events = app.ctx.events();
    app.attach(/*hotplug=*/true);
    std::optional<SimCycle> cycle;
    if (cycle_period) cycle.emplace(app.adapters.sims(), *cycle_period);

    long seen = 0;
    while (!stop.raised()) {
        while (auto e = events.try_next()) {
            app.out << event_line(*e, app.json) << "\n";
            app.out.flush();
            if (cycle) cycle->on_event(*e);
            if (count != 0 && ++seen >= count) return 0;
        }
        const auto now = Clock::now();
        if (end && now >= *end) return 0;
        if (cycle) cycle->step();

        std::optional<Clock::time_point> wake = end;
        if (cycle)
            if (auto d = cycle->deadline(); d && (!wake || *d < *wake)) wake = d;
        wait_readable({events.fd(), stop.fd()}, wake);
    }
    return 0;
}

}  // namespace usbio::cli
