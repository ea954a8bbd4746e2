// SPDX-License-Identifier: Apache-2.0
// Edge events for adapters without GPIO interrupts: a sampler thread per
// line request reads the lines every period and queues the changes.
//
// The sampler enters the device's guard only for each read, never while it
// sleeps, so removal never waits for a sleeping sampler; removal's stop
// token wakes it and every waiter at once, and the stream then ends with
// ENODEV.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "usbio/gpio.hpp"

namespace usbio::detail {

struct LineRequestCore;

class EdgeSampler {
public:
    // Starts sampling from `baseline` (levels read before the request was
    // handed out, so a change right after request_lines() is an edge);
    // `req` must outlive the sampler (it owns it).
    EdgeSampler(LineRequestCore& req, std::chrono::microseconds period, uint64_t baseline);
    ~EdgeSampler();  // stops and joins

    // Ends the stream with EBADF (release) and stops the thread.
    void stop();
    Result<std::vector<EdgeEvent>> wait(std::chrono::milliseconds timeout);
    int fd() const noexcept { return fd_; }

private:
    void run(std::stop_token st);
    // Compares a sample with the previous one; queues events. Caller holds mu_.
    void compare(uint64_t levels, uint64_t now_ns);
    void end(Error e);

    LineRequestCore& req_;
    const std::chrono::microseconds period_;
    uint64_t edge_mask_ = 0;
    uint64_t rising_mask_ = 0;   // physical rising edges wanted
    uint64_t falling_mask_ = 0;  // physical falling edges wanted

    std::mutex mu_;
    std::condition_variable_any cv_;
    std::deque<EdgeEvent> queue_;
    std::optional<Error> ended_;  // set once: ENODEV (gone) or EBADF (released)
    uint64_t last_ = 0;
    uint64_t seqno_ = 0;
    int fd_ = -1;
    std::jthread thread_;
};

}  // namespace usbio::detail
