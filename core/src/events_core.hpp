// The event hub behind Subscription and EventStream.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
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

class EventHub {
public:
    std::uint64_t subscribe(std::function<void(const Event&)> cb);
    // After this returns the callback is not running and will not run again,
    // unless called from inside that very callback (then it just will not run again).
    void unsubscribe(std::uint64_t id);
    void add_queue(const std::shared_ptr<EventQueue>& q);
    void remove_queue(const EventQueue* q);

    // Delivers to every queue and callback. Callbacks run outside the hub's
    // lock so they may call back into the API.
    void emit(const Event& e);

private:
    struct Slot {
        std::function<void(const Event&)> cb;
        std::recursive_mutex running;  // held while cb runs; unsubscribe waits on it
        bool dead = false;
    };
    std::mutex mu_;
    std::uint64_t next_id_ = 1;
    std::map<std::uint64_t, std::shared_ptr<Slot>> slots_;
    std::vector<std::weak_ptr<EventQueue>> queues_;
};

}  // namespace usbio::detail
