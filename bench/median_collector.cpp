// SPDX-License-Identifier: Apache-2.0
#include "median_collector.hpp"

#include <unistd.h>

namespace usbio::bench {

namespace {

benchmark::ConsoleReporter::OutputOptions console_options() {
    return isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_ColorTabular : benchmark::ConsoleReporter::OO_Tabular;
}

double to_ns(double value, benchmark::TimeUnit unit) { return value * 1e9 / benchmark::GetTimeUnitMultiplier(unit); }

}  // namespace

std::string median_key(const std::string& name, int threads) { return name + "/" + std::to_string(threads); }

MedianCollector::MedianCollector() : ConsoleReporter(console_options()) {}

void MedianCollector::ReportRuns(const std::vector<Run>& runs) {
    for (const Run& r : runs) {
        if (r.run_type != Run::RT_Aggregate || r.aggregate_name != "median" || r.error_occurred) continue;
        Median m;
        m.threads = static_cast<int>(r.threads);
        m.real_ns_per_thread = to_ns(r.GetAdjustedRealTime(), r.time_unit) * m.threads;
        m.cpu_ns_per_thread = to_ns(r.GetAdjustedCPUTime(), r.time_unit);
        medians_[median_key(r.run_name.function_name, m.threads)] = m;
    }
    ConsoleReporter::ReportRuns(runs);
}

std::optional<Median> MedianCollector::find(const std::string& name, int threads) const {
    auto it = medians_.find(median_key(name, threads));
    if (it == medians_.end()) return std::nullopt;
    return it->second;
}

}  // namespace usbio::bench
