// Arrival and removal notifications.
//
// Two ways to hear about them: a callback (Subscription) and a queue with a
// pollable file descriptor (EventStream). A removed event is delivered once
// per device, after the driver has been torn down (step 5 of the design).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "usbio/device.hpp"

namespace usbio {

namespace detail {
class EventHub;
struct EventQueue;
}

struct Event {
    enum class Type { arrived, removed };
    Type type;
    DeviceInfo device;
};

const char* to_string(Event::Type t) noexcept;

// Keeps a callback registered; unregisters on destruction or reset(). The
// callback runs on the thread that completed the arrival or removal; it must
// not block for long. It may call into the API (other devices included).
class Subscription {
public:
    Subscription() = default;
    Subscription(Subscription&&) noexcept;
    Subscription& operator=(Subscription&&) noexcept;
    ~Subscription();
    void reset();

    Subscription(std::shared_ptr<detail::EventHub> hub, std::uint64_t id);

private:
    std::weak_ptr<detail::EventHub> hub_;
    std::uint64_t id_ = 0;
};

// A queue of events with an eventfd that is readable while the queue is not
// empty: put fd() in poll()/epoll with POLLIN.
class EventStream {
public:
    EventStream() = default;
    EventStream(EventStream&&) noexcept;
    EventStream& operator=(EventStream&&) noexcept;
    ~EventStream();

    int fd() const noexcept;
    std::optional<Event> try_next();
    // Waits up to timeout for an event.
    std::optional<Event> next(std::chrono::milliseconds timeout);

    EventStream(std::shared_ptr<detail::EventHub> hub, std::shared_ptr<detail::EventQueue> q);

private:
    std::weak_ptr<detail::EventHub> hub_;
    std::shared_ptr<detail::EventQueue> q_;
};

}  // namespace usbio
