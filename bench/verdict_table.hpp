// SPDX-License-Identifier: Apache-2.0
// The summary printed after the revocable benchmarks: medians per case and
// each derived figure checked against the design's target.
#pragma once

#include <map>
#include <string>

#include "median_collector.hpp"

namespace usbio::bench {

struct TableInput {
    bool fast = false;                   // the main run used the asymmetric read side
    std::map<std::string, Median> main;  // key: median_key(case, threads)
    bool symmetric_ran = false;
    std::map<std::string, Median> symmetric;
};

void print_verdict_table(const TableInput& in);

}  // namespace usbio::bench
