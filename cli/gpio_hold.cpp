// SPDX-License-Identifier: Apache-2.0
#include "gpio_hold.hpp"

#include <unistd.h>

#include <istream>
#include <ostream>
#include <string>

#include "numbers.hpp"
#include "waiting.hpp"

namespace usbio::cli {

namespace {

// How often signal and time modes look whether the adapter is still there.
constexpr std::chrono::milliseconds kPresenceCheck{100};

void check_present(const Device& dev) {
    if (!dev.present())
        throw Failure(dev.info().display_name() + ": device gone (ENODEV): the lines are no longer driven",
                      std::error_code(ENODEV, std::generic_category()));
}

}  // namespace

void add_hold_options(po::options_description& opts) {
    opts.add_options()("mode,m", po::value<std::string>()->value_name("MODE"),
                       "what to do once the lines are set: exit (default), wait (for ENTER), time (for -s/-u), "
                       "signal (for SIGINT or SIGTERM)")("sec,s", po::value<std::string>()->value_name("SEC"),
                                                         "seconds to wait (only with --mode=time)")(
        "usec,u", po::value<std::string>()->value_name("USEC"), "microseconds to wait (only with --mode=time)");
}

HoldMode parse_hold(const Parsed& parsed) {
    HoldMode m;
    if (parsed.given("mode")) {
        const std::string& name = parsed.vm["mode"].as<std::string>();
        if (name == "exit")
            m.kind = HoldMode::Kind::exit;
        else if (name == "wait")
            m.kind = HoldMode::Kind::wait;
        else if (name == "time")
            m.kind = HoldMode::Kind::time;
        else if (name == "signal")
            m.kind = HoldMode::Kind::signal;
        else
            throw UsageError("invalid mode '" + name + "': expected exit, wait, time or signal");
    }
    long sec = 0;
    long usec = 0;
    if (parsed.given("sec")) sec = parse_decimal(parsed.vm["sec"].as<std::string>(), 0, 1'000'000, "seconds");
    if (parsed.given("usec"))
        usec = parse_decimal(parsed.vm["usec"].as<std::string>(), 0, 1'000'000'000, "microseconds");
    // As gpioset: a zero time is no time, in any mode.
    if (m.kind != HoldMode::Kind::time && (sec != 0 || usec != 0))
        throw UsageError("can't specify wait time in this mode");
    m.period = std::chrono::seconds(sec) + std::chrono::microseconds(usec);
    return m;
}

void hold(App& app, const HoldMode& mode, const Device& dev, const std::string& banner) {
    auto ready = [&] {
        if (banner.empty()) return;
        app.out << banner << "\n";
        app.out.flush();
    };
    switch (mode.kind) {
    case HoldMode::Kind::exit: ready(); return;
    case HoldMode::Kind::wait: {
        ready();
        // stdin is polled (app.in reads it), so an unplug during the wait
        // ends it too. gpioset reads one character; ENTER gives a line.
        while (!wait_readable({STDIN_FILENO}, Clock::now() + kPresenceCheck)[0]) check_present(dev);
        std::string line;
        std::getline(app.in, line);
        check_present(dev);
        return;
    }
    case HoldMode::Kind::time:
    case HoldMode::Kind::signal: {
        StopSignals stop;
        std::optional<Clock::time_point> end;
        if (mode.kind == HoldMode::Kind::time) end = Clock::now() + mode.period;
        ready();
        while (!stop.raised()) {
            check_present(dev);
            const auto now = Clock::now();
            if (end && now >= *end) return;
            auto wake = now + kPresenceCheck;
            if (end && *end < wake) wake = *end;
            wait_readable({stop.fd()}, wake);
        }
        return;
    }
    }
}

}  // namespace usbio::cli
