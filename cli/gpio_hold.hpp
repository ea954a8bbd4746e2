// SPDX-License-Identifier: Apache-2.0
// gpioset's modes (libgpiod 1.6): what gpio set does once its lines are
// driven. The lines stay requested, and so driven, until hold() returns.
#pragma once

#include <chrono>
#include <string>

#include "app.hpp"
#include "options.hpp"

namespace usbio::cli {

struct HoldMode {
    enum class Kind { exit, wait, time, signal };
    Kind kind = Kind::exit;
    std::chrono::microseconds period{0};  // Kind::time
};

// -m/--mode, -s/--sec, -u/--usec.
void add_hold_options(po::options_description& opts);

// The mode asked for; a UsageError as gpioset words it ("can't specify wait
// time in this mode") for -s/-u outside time mode.
HoldMode parse_hold(const Parsed& parsed);

// exit: returns at once. wait: until a line (or end of input) on stdin.
// time: until the period has passed. signal: until SIGINT or SIGTERM. Time
// and signal modes also end early, with exit status 0, on SIGINT/SIGTERM;
// every mode but exit fails with ENODEV when the adapter goes away, since
// the lines are then no longer driven. A non-empty `banner` line is printed
// on stdout once the command is ready for what ends the wait (signal
// handlers in place), so a script can wait for it before signalling.
void hold(App& app, const HoldMode& mode, const Device& dev, const std::string& banner);

}  // namespace usbio::cli
