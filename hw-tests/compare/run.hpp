// SPDX-License-Identifier: Apache-2.0
// The comparison's three runs, the same for every stack:
//   bench   GPIO set/get, a 2-byte write + 32-byte read, 4 KiB EEPROM reads,
//           each repeated for a bounded time; optionally writes the EEPROM
//           image first and checks the one already there
//   verify  reads the whole EEPROM once and checks it against an image
//   unplug  reads the EEPROM in a loop and unplugs the device in the middle
//           of one read: what the failing call returns, and when
//   summary all bench runs recorded in a sample file, as one per operation
// and the command line both programs share:
//   PROGRAM bench  [--write-seed N] [--verify-seed N] [--budget-ms N] [--max-reps N]
//                  [--round N] [--samples FILE] [--counters FILE] STACK-OPTIONS
//   PROGRAM verify --seed N STACK-OPTIONS
//   PROGRAM unplug --seed N --control FIFO --gadget-log FILE --udc FILE STACK-OPTIONS
//   PROGRAM summary --samples FILE
// With --counters (the gadget's transfer counters, traffic_counters.hpp)
// bench also reports transfers.<operation>: the USB transfers one call cost.
// Results: "compare.<key>.<name>" (see results.hpp); a bench run with
// --round N reports its operations as r<N>.<operation>, the summary as
// <operation>.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "stack.hpp"

namespace usbio::compare {

struct Args {
    std::string mode;
    std::map<std::string, std::string> options;  // without the leading "--"

    bool has(const std::string& key) const { return options.count(key) != 0; }
    std::string get(const std::string& key, const std::string& fallback = {}) const;
    unsigned number(const std::string& key, unsigned fallback) const;
};

using StackFactory = std::function<std::unique_ptr<Stack>(const Args&, std::string& error)>;

// Parses the command line (`stack_options` are the options the factory
// reads), opens the stack and runs the mode; `key` is the stack's
// Stack::key(), for the summary, which opens nothing. Exit status 0 when
// the run itself worked; results are reported on stdout either way.
int run_main(int argc, char** argv, const std::string& key, const std::set<std::string>& stack_options,
             const StackFactory& make);

}  // namespace usbio::compare
