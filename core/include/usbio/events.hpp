// SPDX-License-Identifier: Apache-2.0
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
#include "usbio/export.hpp"

namespace usbio {

namespace detail {
class EventHub;
struct Access;
struct EventQueue;
}  // namespace detail

struct Event {
    enum class Type { arrived, removed };
    Type type;
    DeviceInfo device;
};

USBIO_EXPORT const char* to_string(Event::Type t) noexcept;

// Keeps a callback registered; unregisters on destruction or reset().
// Callbacks run one at a time, in event order, on the thread that completed
// the arrival or removal, or on the thread already delivering another event
// at that moment (so an event may be delivered just after the call that
// caused it returns; Context::settle() waits for it). A callback must not
// block for long. It may do anything the API allows: call into devices,
// remove them, unsubscribe itself or others, call settle(), destroy the
// Context. reset() from another thread waits for the callback to finish if it
// is running; from inside a callback it does not wait.
class USBIO_EXPORT Subscription {
public:
    Subscription() = default;
    Subscription(Subscription&&) noexcept;
    Subscription& operator=(Subscription&&) noexcept;
    ~Subscription();
    void reset();

private:
    friend struct detail::Access;
    Subscription(std::shared_ptr<detail::EventHub> hub, std::uint64_t id);
    std::weak_ptr<detail::EventHub> hub_;
    std::uint64_t id_ = 0;
};

// A queue of events with an eventfd that is readable while the queue is not
// empty: put fd() in poll()/epoll with POLLIN.
class USBIO_EXPORT EventStream {
public:
    EventStream() = default;
    EventStream(EventStream&&) noexcept;
    EventStream& operator=(EventStream&&) noexcept;
    ~EventStream();

    int fd() const noexcept;
    std::optional<Event> try_next();
    // Waits up to timeout for an event.
    std::optional<Event> next(std::chrono::milliseconds timeout);

private:
    friend struct detail::Access;
    EventStream(std::shared_ptr<detail::EventHub> hub, std::shared_ptr<detail::EventQueue> q);
    std::weak_ptr<detail::EventHub> hub_;
    std::shared_ptr<detail::EventQueue> q_;
};

}  // namespace usbio
