#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>

#include "events_core.hpp"

namespace usbio {

const char* to_string(Event::Type t) noexcept {
    return t == Event::Type::arrived ? "arrived" : "removed";
}

namespace detail {

EventQueue::EventQueue() : fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE)) {}

EventQueue::~EventQueue() {
    if (fd >= 0) ::close(fd);
}

void EventQueue::push(const Event& e) {
    std::lock_guard lk(mu);
    events.push_back(e);
    if (fd >= 0) {
        uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(fd, &one, sizeof one);
    }
}

std::optional<Event> EventQueue::pop() {
    std::lock_guard lk(mu);
    if (events.empty()) return std::nullopt;
    if (fd >= 0) {
        uint64_t v;
        [[maybe_unused]] auto n = ::read(fd, &v, sizeof v);  // takes one count
    }
    Event e = std::move(events.front());
    events.pop_front();
    return e;
}

std::uint64_t EventHub::subscribe(std::function<void(const Event&)> cb) {
    auto slot = std::make_shared<Slot>();
    slot->cb = std::move(cb);
    std::lock_guard lk(mu_);
    std::uint64_t id = next_id_++;
    slots_.emplace(id, std::move(slot));
    return id;
}

void EventHub::unsubscribe(std::uint64_t id) {
    std::shared_ptr<Slot> slot;
    {
        std::lock_guard lk(mu_);
        auto it = slots_.find(id);
        if (it == slots_.end()) return;
        slot = std::move(it->second);
        slots_.erase(it);
    }
    std::lock_guard run(slot->running);  // waits for a callback in progress
    slot->dead = true;
}

void EventHub::add_queue(const std::shared_ptr<EventQueue>& q) {
    std::lock_guard lk(mu_);
    queues_.push_back(q);
}

void EventHub::remove_queue(const EventQueue* q) {
    std::lock_guard lk(mu_);
    std::erase_if(queues_, [q](const std::weak_ptr<EventQueue>& w) {
        auto s = w.lock();
        return !s || s.get() == q;
    });
}

void EventHub::emit(const Event& e) {
    std::vector<std::shared_ptr<Slot>> slots;
    std::vector<std::shared_ptr<EventQueue>> queues;
    {
        std::lock_guard lk(mu_);
        for (auto& [id, s] : slots_) slots.push_back(s);
        for (auto& w : queues_)
            if (auto q = w.lock()) queues.push_back(std::move(q));
    }
    for (auto& q : queues) q->push(e);
    for (auto& s : slots) {
        std::lock_guard run(s->running);
        if (!s->dead) s->cb(e);
    }
}

}  // namespace detail

Subscription::Subscription(std::shared_ptr<detail::EventHub> hub, std::uint64_t id)
    : hub_(std::move(hub)), id_(id) {}

Subscription::Subscription(Subscription&& o) noexcept : hub_(std::move(o.hub_)), id_(o.id_) { o.id_ = 0; }

Subscription& Subscription::operator=(Subscription&& o) noexcept {
    if (this != &o) {
        reset();
        hub_ = std::move(o.hub_);
        id_ = o.id_;
        o.id_ = 0;
    }
    return *this;
}

Subscription::~Subscription() { reset(); }

void Subscription::reset() {
    if (id_ != 0)
        if (auto h = hub_.lock()) h->unsubscribe(id_);
    id_ = 0;
    hub_.reset();
}

EventStream::EventStream(std::shared_ptr<detail::EventHub> hub, std::shared_ptr<detail::EventQueue> q)
    : hub_(std::move(hub)), q_(std::move(q)) {}

EventStream::EventStream(EventStream&& o) noexcept = default;

EventStream& EventStream::operator=(EventStream&& o) noexcept {
    if (this != &o) {
        if (q_)
            if (auto h = hub_.lock()) h->remove_queue(q_.get());
        hub_ = std::move(o.hub_);
        q_ = std::move(o.q_);
    }
    return *this;
}

EventStream::~EventStream() {
    if (q_)
        if (auto h = hub_.lock()) h->remove_queue(q_.get());
}

int EventStream::fd() const noexcept { return q_ ? q_->fd : -1; }

std::optional<Event> EventStream::try_next() { return q_ ? q_->pop() : std::nullopt; }

std::optional<Event> EventStream::next(std::chrono::milliseconds timeout) {
    if (!q_) return std::nullopt;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto e = q_->pop()) return e;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{q_->fd, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(left.count()) + 1);
    }
}

}  // namespace usbio
