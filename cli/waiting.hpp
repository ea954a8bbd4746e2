// SPDX-License-Identifier: Apache-2.0
// Waiting for events until the user stops the command: SIGINT and SIGTERM
// as a readable file descriptor, and poll() with a deadline.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

namespace usbio::cli {

using Clock = std::chrono::steady_clock;

// While one exists, SIGINT and SIGTERM no longer end the process: they make
// fd() readable. The handler is process-wide, so it works whichever thread
// the kernel delivers the signal to (the library runs threads of its own).
class StopSignals {
public:
    StopSignals();   // throws Failure when the handlers cannot be installed
    ~StopSignals();  // restores the previous handlers
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    int fd() const noexcept;
    bool raised() const noexcept;
};

// Polls `fds` for POLLIN until one is readable or `deadline` (none: no
// limit) passes. Element i is true when fds[i] is readable; all false on
// timeout or an interrupted wait, so callers re-check their deadline.
std::vector<bool> wait_readable(const std::vector<int>& fds, std::optional<Clock::time_point> deadline);

}  // namespace usbio::cli
