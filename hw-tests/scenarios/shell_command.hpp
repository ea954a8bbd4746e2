// SPDX-License-Identifier: Apache-2.0
// Runs a shell command with a time limit: the bench's unplug and re-plug
// commands, and uhubctl.
#pragma once

#include <chrono>
#include <string>

namespace usbio::hw {

struct CommandResult {
    bool started = false;
    bool timed_out = false;  // killed after the limit
    int exit_status = -1;    // when it exited normally
    std::string output;      // stdout and stderr, cut at 4 KiB
    std::chrono::steady_clock::duration took{};

    bool ok() const { return started && !timed_out && exit_status == 0; }
    std::string describe() const;  // "exit 1: <output>", "killed after 30 s", ...
};

// /bin/sh -c COMMAND. Never waits longer than `limit`.
CommandResult run_shell(const std::string& command, std::chrono::milliseconds limit);

}  // namespace usbio::hw
