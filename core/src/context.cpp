// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <charconv>

#include "access.hpp"
#include "context_core.hpp"
#include "usbio/context.hpp"

namespace usbio {

namespace detail {

ContextCore::ContextCore() : hub_(std::make_shared<EventHub>()) {}

ContextCore::~ContextCore() { shutdown(); }

std::vector<std::shared_ptr<DeviceCore>> ContextCore::present() const {
    std::lock_guard lk(mu_);
    std::vector<std::shared_ptr<DeviceCore>> out;
    for (auto& d : devices_)
        if (d->state() == DeviceState::present) out.push_back(d);
    return out;
}

void ContextCore::add(const std::shared_ptr<DeviceCore>& dev) {
    {
        std::lock_guard lk(mu_);
        devices_.push_back(dev);
    }
    hub_->emit(Event{Event::Type::arrived, dev->info()});
}

void ContextCore::removed(const DeviceCore& dev, const std::function<void()>& queued) {
    bool known = false;
    {
        std::lock_guard lk(mu_);
        auto it = std::find_if(devices_.begin(), devices_.end(), [&](const auto& d) { return d.get() == &dev; });
        if (it != devices_.end()) {
            devices_.erase(it);
            known = true;
        }
    }
    if (known)
        hub_->emit(Event{Event::Type::removed, dev.info()}, queued);
    else
        queued();
}

void ContextCore::spawn(std::function<void()> fn) {
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::lock_guard lk(workers_mu_);
    // Reap finished workers so a long-lived context with many unplugs does
    // not accumulate threads.
    for (auto it = workers_.begin(); it != workers_.end();) {
        if (it->done->load(std::memory_order_acquire)) {
            it->thread.join();
            it = workers_.erase(it);
        } else {
            ++it;
        }
    }
    workers_.push_back(Worker{std::thread([fn = std::move(fn), done] {
                                  fn();
                                  done->store(true, std::memory_order_release);
                              }),
                              done});
}

void ContextCore::settle() {
    for (;;) {
        std::list<Worker> batch;
        {
            std::lock_guard lk(workers_mu_);
            for (auto it = workers_.begin(); it != workers_.end();) {
                if (it->thread.get_id() == std::this_thread::get_id()) {
                    ++it;  // a callback on a worker asked to settle: cannot join itself
                } else {
                    auto next = std::next(it);
                    batch.splice(batch.end(), workers_, it);
                    it = next;
                }
            }
        }
        if (!batch.empty()) {
            for (auto& w : batch) w.thread.join();
            continue;
        }
        // Events those removals queued behind a callback running on another
        // thread are delivered by that thread; wait for it (not on it). Its
        // callbacks may have started removals: join those too.
        hub_->wait_idle();
        std::lock_guard lk(workers_mu_);
        bool others = std::any_of(workers_.begin(), workers_.end(),
                                  [](const Worker& w) { return w.thread.get_id() != std::this_thread::get_id(); });
        if (!others) return;
    }
}

void ContextCore::shutdown() {
    {
        std::lock_guard lk(workers_mu_);
        if (shut_down_) return;
        shut_down_ = true;
    }
    std::vector<std::shared_ptr<DeviceCore>> all;
    {
        std::lock_guard lk(mu_);
        all = devices_;
    }
    // Consumers first: newest devices sit on older ones, never the reverse.
    for (auto it = all.rbegin(); it != all.rend(); ++it) (*it)->remove();
    settle();
    std::lock_guard lk(workers_mu_);
    for (auto& w : workers_) w.thread.detach();  // only a worker that destroyed us is left
    workers_.clear();
}

}  // namespace detail

Context::Context() : core_(std::make_shared<detail::ContextCore>()) {}

Context::~Context() { core_->shutdown(); }

std::vector<Device> Context::devices() const {
    std::vector<Device> out;
    for (auto& d : core_->present()) out.push_back(detail::Access::make<Device>(d));
    return out;
}

Result<Device> Context::find(std::string_view selector) const {
    auto devs = core_->present();
    unsigned index = 0;
    auto [p, ec] = std::from_chars(selector.data(), selector.data() + selector.size(), index);
    if (ec == std::errc() && p == selector.data() + selector.size()) {
        if (index < devs.size()) return detail::Access::make<Device>(devs[index]);
        return make_error(ENODEV, "no adapter with index " + std::string(selector) + " (" +
                                      std::to_string(devs.size()) + " adapter(s) present)");
    }
    for (auto& d : devs) {
        const DeviceInfo& i = d->info();
        if (i.serial == selector || i.path == selector || i.id == selector) return detail::Access::make<Device>(d);
    }
    return make_error(
        ENODEV, "no adapter matches '" + std::string(selector) + "' (tried index, serial number, USB path and id)");
}

Subscription Context::subscribe(std::function<void(const Event&)> callback) {
    return detail::Access::make<Subscription>(core_->hub(), core_->hub()->subscribe(std::move(callback)));
}

EventStream Context::events() {
    auto q = std::make_shared<detail::EventQueue>();
    core_->hub()->add_queue(q);
    return detail::Access::make<EventStream>(core_->hub(), std::move(q));
}

void Context::settle() { core_->settle(); }

}  // namespace usbio
