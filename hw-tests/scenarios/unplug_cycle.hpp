// SPDX-License-Identifier: Apache-2.0
// One unplug with operations in flight, measured: callers are running on
// shared handles, the adapter is taken away, and every caller must come
// back with ENODEV (never another error, never a hang) within the limit;
// the device must reach "gone" and its removed event must arrive. Then the
// adapter is put back and must arrive again as a new device.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench_config.hpp"
#include "caller.hpp"
#include "session.hpp"
#include "unplugger.hpp"
#include "usbio/usbio.hpp"

namespace usbio::hw {

struct CallerSpec {
    std::string name;
    Caller::Op op;
    // true: a call that waits (edge events); ready once it is asleep inside
    // a call. false: ready once two calls have succeeded.
    bool blocks = false;
};

struct CallerReport {
    CallerOutcome outcome;
    std::optional<double> enodev_ms;  // from the start of the unplug
};

struct CycleResult {
    double unplug_action_ms = 0;  // how long the unplug itself took
    std::vector<CallerReport> callers;
    std::optional<double> removed_event_ms;   // from the start of the unplug
    std::optional<double> replug_arrival_ms;  // from the start of the re-plug
    Device fresh;                             // the adapter after the re-plug
    std::vector<std::string> failures;        // empty: everything held

    bool ok() const { return failures.empty(); }
};

struct CycleOptions {
    std::string scenario;  // names the measurements
    bool replug = true;
    bool print = true;  // USBIO-HW-MEASURE lines on stdout
    std::chrono::milliseconds ready_limit{10000};
};

CycleResult run_unplug_cycle(Session& session, const Device& dev, Unplugger& unplugger, const BenchConfig& config,
                             std::vector<CallerSpec> specs, const CycleOptions& options);

// Milliseconds between two points, for printing.
double ms_between(Clock::time_point from, Clock::time_point to);

// A quick check that an adapter answers: an EEPROM or sensor read when one
// is configured, else reading the GPIO lines.
Result<void> check_answers(const Device& dev, const BenchConfig& config);

}  // namespace usbio::hw
