// SPDX-License-Identifier: Apache-2.0
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>

#include "events_core.hpp"

namespace usbio {

const char* to_string(Event::Type t) noexcept { return t == Event::Type::arrived ? "arrived" : "removed"; }

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
    std::unique_lock lk(mu_);
    auto it = slots_.find(id);
    if (it == slots_.end()) return;
    std::shared_ptr<Slot> slot = std::move(it->second);
    slots_.erase(it);
    slot->dead = true;
    if (deliverer_ == std::this_thread::get_id()) return;
    idle_cv_.wait(lk, [&] { return running_ != slot.get(); });
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

void EventHub::emit(const Event& e) { emit(e, {}); }

void EventHub::emit(const Event& e, const std::function<void()>& queued) {
    std::unique_lock lk(mu_);
    // Queues get the event in the same order as callbacks.
    for (auto& w : queues_)
        if (auto q = w.lock()) q->push(e);
    pending_.push_back(e);
    if (queued) queued();
    if (deliverer_ != std::thread::id{}) return;  // that thread delivers it, in order
    deliver(lk);
}

void EventHub::deliver(std::unique_lock<std::mutex>& lk) {
    deliverer_ = std::this_thread::get_id();
    std::vector<std::shared_ptr<Slot>> slots;
    while (!pending_.empty()) {
        Event ev = std::move(pending_.front());
        pending_.pop_front();
        slots.clear();
        for (auto& [id, s] : slots_) slots.push_back(s);
        for (auto& s : slots) {
            if (s->dead) continue;  // unsubscribed by an earlier callback
            running_ = s.get();
            lk.unlock();
            try {
                s->cb(ev);
            } catch (const std::exception& ex) {
                std::fprintf(stderr, "usbio: an event callback threw (%s); ignored\n", ex.what());
            } catch (...) {
                std::fprintf(stderr, "usbio: an event callback threw; ignored\n");
            }
            lk.lock();
            running_ = nullptr;
            idle_cv_.notify_all();
        }
    }
    deliverer_ = std::thread::id{};
    idle_cv_.notify_all();
}

void EventHub::wait_idle() {
    std::unique_lock lk(mu_);
    if (deliverer_ == std::this_thread::get_id()) return;
    idle_cv_.wait(lk, [&] { return deliverer_ == std::thread::id{} && pending_.empty(); });
}

}  // namespace detail

Subscription::Subscription(std::shared_ptr<detail::EventHub> hub, std::uint64_t id) : hub_(std::move(hub)), id_(id) {}

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
