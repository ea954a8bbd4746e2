// SPDX-License-Identifier: Apache-2.0
// The event hub behind Subscription and EventStream.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "usbio/events.hpp"

namespace usbio::detail {

struct EventQueue {
    EventQueue();
    ~EventQueue();
    void push(const Event& e);
    std::optional<Event> pop();

    int fd = -1;  // eventfd in semaphore mode: one count per queued event
    std::mutex mu;
    std::deque<Event> events;
};

// Callbacks run one at a time, in emit order, on whichever thread is
// delivering: an emit() while another thread delivers only queues the event
// and returns. So emit() never waits for a callback, and a callback may do
// anything the API allows (destroy the Context, settle(), unsubscribe itself
// or others, remove devices) without waiting for a thread that waits for it.
class EventHub {
public:
    std::uint64_t subscribe(std::function<void(const Event&)> cb);
    // After this returns the callback is not running and will not run again.
    // From inside a callback it does not wait (the running callback may be
    // the one unsubscribed); the callback just will not run again.
    void unsubscribe(std::uint64_t id);
    void add_queue(const std::shared_ptr<EventQueue>& q);
    void remove_queue(const EventQueue* q);

    // Delivers to every queue now and to every callback in turn, outside the
    // hub's lock so callbacks may call back into the API.
    void emit(const Event& e);
    // The same; `queued` runs once the event is in line (before any
    // callback sees it), under the hub's lock: it must not call back in.
    void emit(const Event& e, const std::function<void()>& queued);
    // Waits until no event is queued or being delivered; returns at once on
    // the delivering thread (from a callback).
    void wait_idle();

private:
    struct Slot {
        std::function<void(const Event&)> cb;
        bool dead = false;  // under mu_
    };
    void deliver(std::unique_lock<std::mutex>& lk);

    std::mutex mu_;
    std::condition_variable idle_cv_;  // a callback ended, or delivery stopped
    std::uint64_t next_id_ = 1;
    std::map<std::uint64_t, std::shared_ptr<Slot>> slots_;
    std::vector<std::weak_ptr<EventQueue>> queues_;
    std::deque<Event> pending_;
    std::thread::id deliverer_;      // thread delivering now; none when idle
    const Slot* running_ = nullptr;  // slot whose callback runs now
};

}  // namespace usbio::detail
