// SPDX-License-Identifier: Apache-2.0
// A console reporter that also keeps each benchmark's median, so a program
// can print derived figures (ratios against targets) after the run.
//
// Benchmarks run with repetitions; the machine may be shared and noisy, so
// the median of the repetitions is the figure we trust, not the mean.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <optional>
#include <string>

namespace usbio::bench {

struct Median {
    // Wall-clock time of one call as one thread sees it: the reported
    // real time per iteration scaled back by the thread count (the library
    // divides the per-thread wall time by the iterations of all threads).
    double real_ns_per_thread = 0;
    // Thread CPU time per call (the library sums CPU time over threads and
    // divides by all iterations, which is already per thread). Unlike wall
    // time it does not grow while another process holds our CPU.
    double cpu_ns_per_thread = 0;
    int threads = 1;
};

class MedianCollector : public benchmark::ConsoleReporter {
public:
    MedianCollector();

    void ReportRuns(const std::vector<Run>& runs) override;

    // Key: "<function name>/<threads>", e.g. "guarded_call/2".
    std::optional<Median> find(const std::string& name, int threads) const;
    const std::map<std::string, Median>& all() const { return medians_; }

private:
    std::map<std::string, Median> medians_;
};

std::string median_key(const std::string& name, int threads);

}  // namespace usbio::bench
