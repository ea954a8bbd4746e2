// SPDX-License-Identifier: Apache-2.0
// Repeats one operation for a bounded time, and summarises latencies,
// possibly of several runs of the same operation (rounds of a comparison
// that alternates between stacks).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace usbio::compare {

using Clock = std::chrono::steady_clock;

struct Budget {
    std::chrono::milliseconds time{3000};  // stop once this much has run...
    std::size_t min_reps = 10;             // ...and at least this many were made,
    std::size_t max_reps = 5000;           // or when this many were made;
    // never longer than this, however few repetitions that allowed.
    std::chrono::milliseconds hard_limit() const { return 3 * time; }
};

// One measured run of an operation.
struct Run {
    std::vector<double> us;  // latency of every measured call
    double seconds = 0;      // wall time of the whole run
    std::size_t failures = 0;
    std::size_t mismatches = 0;  // failures that were wrong data (EBADMSG), not errors
    int first_errno = 0;         // of the first failure
    std::string first_error;     // its message
};

struct Summary {
    std::size_t reps = 0;
    double median_us = 0;
    double p90_us = 0;
    double min_us = 0;
    double max_us = 0;
    double ops_per_s = 0;  // calls over the wall time of the runs
    std::size_t failures = 0;
    std::size_t mismatches = 0;
    int first_errno = 0;
    std::string first_error;
};

// Runs `op` (0 or an errno) twice unmeasured, then measured within `budget`.
// `message` is asked for the text of a failure. EBADMSG from `op` means it
// got wrong data, and counts as a mismatch too.
Run measure(const Budget& budget, const std::function<int()>& op, const std::function<std::string()>& message);

Summary summarize(const std::vector<Run>& runs);

// "reps=N median_us=X p90_us=X min_us=X max_us=X ops_s=X failures=N mismatches=N[ first_error=...]"
std::string format(const Summary& s);

// A run as one line of text and back, for summaries across processes.
std::string serialize(const Run& r);
bool deserialize(const std::string& line, Run& r);

double ms_between(Clock::time_point a, Clock::time_point b);

}  // namespace usbio::compare
