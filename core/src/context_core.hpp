// SPDX-License-Identifier: Apache-2.0
// The registry behind usbio::Context: present devices in arrival order, the
// event hub, and the threads that finish removals started from inside calls.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "device_core.hpp"
#include "events_core.hpp"

namespace usbio::detail {

class ContextCore : public std::enable_shared_from_this<ContextCore> {
public:
    ContextCore();
    ~ContextCore();

    std::vector<std::shared_ptr<DeviceCore>> present() const;
    void add(const std::shared_ptr<DeviceCore>& dev);
    // Called when a device reaches gone: drop it and tell subscribers.
    // `queued` runs once its removed event is in line (or at once when
    // there is none to send), under the hub's lock.
    void removed(const DeviceCore& dev, const std::function<void()>& queued);

    // Runs fn on a thread of its own (removal finishing steps 2-6), so that a
    // removal started inside a driver call never waits for itself and one
    // device's removal never holds up another's.
    void spawn(std::function<void()> fn);
    // Joins every spawned thread (except the caller's own).
    void settle();
    // Removes every device and joins: the Context is going away.
    void shutdown();

    const std::shared_ptr<EventHub>& hub() const noexcept { return hub_; }

private:
    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };

    mutable std::mutex mu_;
    std::vector<std::shared_ptr<DeviceCore>> devices_;
    std::shared_ptr<EventHub> hub_;
    std::mutex workers_mu_;
    std::list<Worker> workers_;
    bool shut_down_ = false;
};

}  // namespace usbio::detail
