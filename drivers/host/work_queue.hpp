// SPDX-License-Identifier: Apache-2.0
// What the host's worker thread is asked to do: arrivals and departures
// (from libusb's hotplug callback, which must not open or close devices
// itself), re-enumerations, and marks that settle() waits for.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "usbio/usb/libusb_api.hpp"

namespace usbio::host {

struct WorkItem {
    enum class Kind { arrived, left, rescan, mark };
    Kind kind = Kind::mark;
    libusb_device* dev = nullptr;  // arrived/left: a reference the item owns
    uint64_t seq = 0;              // mark: its number
};

class WorkQueue {
public:
    explicit WorkQueue(usb::LibusbApi& api) : api_(api) {}
    ~WorkQueue();  // drops the device references of items never taken

    // From libusb's hotplug callback: takes a reference to `dev`.
    void push_device(WorkItem::Kind kind, libusb_device* dev);
    void push_rescan();
    // How many arrivals and departures were ever pushed: settle() goes on
    // until a round brings none.
    uint64_t devices_pushed() const;
    // Queues a mark and returns its number.
    uint64_t push_mark();

    // The next item, or nullopt at `deadline` or once stopped.
    std::optional<WorkItem> pop(std::chrono::steady_clock::time_point deadline);
    // Ends pop() waits and drops (unreferences) what is still queued.
    void stop();
    bool stopped() const;

    // The worker finished everything queued before mark `seq`.
    void mark_done(uint64_t seq);
    bool wait_done(uint64_t seq, std::chrono::steady_clock::time_point deadline);

private:
    usb::LibusbApi& api_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::condition_variable done_cv_;
    std::deque<WorkItem> items_;
    uint64_t next_mark_ = 1;
    uint64_t done_mark_ = 0;
    uint64_t devices_pushed_ = 0;
    bool stopped_ = false;
};

}  // namespace usbio::host
