// SPDX-License-Identifier: Apache-2.0
// Runs the built usbio binary and captures what it says.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace usbio::test {

struct CliRun {
    int exit_code = -1;  // -1 when killed by a signal or timed out
    std::string out;
    std::string err;
    bool timed_out = false;
};

// Runs `usbio args...` with `input` on its stdin (then end of input). A run
// that outlives `timeout` is killed and reported as timed out.
CliRun run_usbio(const std::vector<std::string>& args, const std::string& input = "",
                 std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Like run_usbio with no input, and sends `signal` to the command as soon as
// its stdout contains `marker`.
CliRun run_usbio_until(const std::vector<std::string>& args, const std::string& marker, int signal,
                       std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Like run_usbio with no input, and calls `action` once, as soon as the
// command's stderr contains `marker` (the command goes on running).
CliRun run_usbio_on_stderr(const std::vector<std::string>& args, const std::string& marker,
                           const std::function<void()>& action,
                           std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Like run_usbio, but stdin stays open (with no input) until stdout
// contains `marker`, and is closed then: end of input at a known point.
CliRun run_usbio_stdin_until(const std::vector<std::string>& args, const std::string& marker,
                             std::chrono::milliseconds timeout = std::chrono::seconds(60));

// The lines of a text, without their newlines.
std::vector<std::string> lines_of(const std::string& text);

}  // namespace usbio::test
