// SPDX-License-Identifier: Apache-2.0
// A named pipe through which guest scripts steer a running gadget: hold an
// endpoint, change the simulated world (temperature, input levels, faults).
// One command per line; the outcome of each goes to the gadget's log.
//
// The gadget holds the pipe open for writing itself, so it never sees
// end-of-file when a script's `echo` closes its end, and poll() stays quiet
// until a command arrives.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace usbio::vbench {

class ControlChannel {
public:
    // Creates the FIFO at `path` (replacing a stale one) and opens it.
    static std::unique_ptr<ControlChannel> open(const std::string& path, std::string& error);
    ~ControlChannel();  // closes and removes the FIFO
    ControlChannel(const ControlChannel&) = delete;
    ControlChannel& operator=(const ControlChannel&) = delete;

    int fd() const { return fd_; }
    // Reads what is there without blocking and calls `handle` per full line.
    void drain(const std::function<void(std::string_view line)>& handle);

private:
    ControlChannel(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

    static constexpr std::size_t kMaxLine = 256;
    const std::string path_;
    const int fd_;
    std::string partial_;
    bool discarding_ = false;  // inside a line longer than kMaxLine
};

}  // namespace usbio::vbench
