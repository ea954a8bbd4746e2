// SPDX-License-Identifier: Apache-2.0
#include "device_core.hpp"

#include <algorithm>
#include <cstdio>

#include "context_core.hpp"
#include "eeprom_core.hpp"
#include "gpio_core.hpp"
#include "i2c_core.hpp"

namespace usbio::detail {

// No call can enter before publish(): no handle reaches the record yet.
DeviceCore::DeviceCore(std::weak_ptr<ContextCore> ctx) : ctx_(std::move(ctx)), ops_(&table_) {}

// Handles can outlive everything; by the time the last one goes, removal has
// run (the Context removes what it holds when it is destroyed). A record
// that was never published has no provider left, or frees it here.
DeviceCore::~DeviceCore() = default;

void DeviceCore::install(DeviceInfo info, std::unique_ptr<driver::Provider> provider, DriverOps ops) {
    info_ = std::move(info);
    table_ = std::move(ops);
    table_.provider = provider.get();
    provider_ = std::move(provider);
}

bool DeviceCore::publish() {
    auto ctx = ctx_.lock();
    bool refused = false;
    {
        std::lock_guard lk(mu_);
        if (departed_ || !ctx) {
            refused = departed_ = gone_ = true;
            state_.store(DeviceState::gone, std::memory_order_release);
        }
    }
    if (refused) {
        // Left before it was ever seen: free the driver now (it releases the
        // transport) and register nothing.
        ops_.revoke();
        provider_.reset();
        gone_cv_.notify_all();
        return false;
    }
    ctx->add(shared_from_this());
    bool departed = false;
    {
        std::lock_guard lk(mu_);
        published_ = true;
        departed = departed_;
    }
    // Reported while it was being registered: now it can be removed.
    if (departed) request_remove();
    return true;
}

bool DeviceCore::departed() const {
    std::lock_guard lk(mu_);
    return departed_ || removal_started_;
}

bool DeviceCore::unpublished_departure() {
    std::lock_guard lk(mu_);
    if (published_) return false;
    departed_ = true;
    return true;
}

Error DeviceCore::gone_error_as(const std::string& subject, const std::string& what) const {
    return make_error(ENODEV, subject + ": " + what + ": device gone");
}

Error DeviceCore::call_error_as(std::error_code ec, const std::string& subject, const std::string& what) {
    if (ec.value() == ENODEV) {
        request_remove();
        return gone_error_as(subject, what);
    }
    // Removal began while the call was inside the driver: whatever the
    // driver saw (a cancelled transfer, a cut-off report) was the unplug,
    // and the caller is told so, as every call on a departing device is.
    // So with the adapter a client sits on: its removal reaches the client
    // a moment later, but what the client saw was already that.
    if (state() != DeviceState::present || supplier_leaving()) return gone_error_as(subject, what);
    return make_error(ec.value(), subject + ": " + what + ": " + describe_errno(ec.value()));
}

bool DeviceCore::supplier_leaving() const {
    for (const auto& w : suppliers_) {
        auto s = w.lock();
        if (!s || s->state() != DeviceState::present) return true;
    }
    return false;
}

bool DeviceCore::add_consumer(const std::shared_ptr<DeviceCore>& consumer) {
    // Before publication: nothing reads the consumer's suppliers yet.
    consumer->suppliers_.push_back(weak_from_this());
    std::lock_guard lk(mu_);
    if (removal_started_ || gone_) return false;
    // Consumers unbound on their own leave expired entries: drop them.
    std::erase_if(consumers_, [](const std::weak_ptr<DeviceCore>& w) { return w.expired(); });
    consumers_.push_back(consumer);
    return true;
}

std::vector<std::shared_ptr<DeviceCore>> DeviceCore::consumers() const {
    std::vector<std::shared_ptr<DeviceCore>> out;
    std::lock_guard lk(mu_);
    for (auto& w : consumers_)
        if (auto c = w.lock()) out.push_back(std::move(c));
    return out;
}

bool DeviceCore::held_here() const noexcept {
    if (ops_.held_by_this_thread()) return true;
    for (auto& c : consumers())
        if (c->held_here()) return true;
    return false;
}

bool DeviceCore::begin_removal() {
    {
        std::lock_guard lk(mu_);
        if (removal_started_) return false;
        removal_started_ = true;
    }
    // Step 1: from this store on, enter() yields null and calls fail with ENODEV.
    ops_.revoke();
    state_.store(DeviceState::removing, std::memory_order_release);
    removal_stop_.request_stop();
    return true;
}

void DeviceCore::abort_io() noexcept {
    // provider_ is still alive: only drain_and_teardown() frees it, and only
    // the removal owner runs that, after this.
    table_.provider->abort_io();
}

void DeviceCore::drain_and_teardown() {
    // Step 3. Bounded because step 2 made the calls inside return; if a
    // driver fails at that, say so rather than hang silently.
    ops_.drain(std::chrono::milliseconds(5000), [this](int inside) {
        std::fprintf(stderr, "usbio: %s: still waiting for %d call(s) to leave the driver\n",
                     info_.display_name().c_str(), inside);
    });
    // Step 4: no call is inside and none can enter; free the driver.
    provider_.reset();
}

void DeviceCore::mark_gone() {
    {
        std::lock_guard lk(mu_);
        gone_ = true;
        state_.store(DeviceState::gone, std::memory_order_release);
    }
    gone_cv_.notify_all();
    // Step 5: tell subscribers. Step 6 holds from here on: ops_ stays null.
    // A supplier waiting to send its own event goes on once this one is in
    // line, not once it is delivered: a callback may remove the supplier.
    auto announce = [this] {
        {
            std::lock_guard lk(mu_);
            announced_ = true;
        }
        gone_cv_.notify_all();
    };
    if (auto ctx = ctx_.lock())
        ctx->removed(*this, announce);
    else
        announce();
}

void DeviceCore::finish_removal() {
    // Consumers (devices that sit on this one) go first: mark them all, abort
    // everything, then take them down before this device.
    // One still being probed is only marked departed: its publish() then
    // refuses it, or removes it right after, and it can reach this device
    // only through its guarded calls, which fail from now on.
    auto deps = consumers();
    std::erase_if(deps, [](const std::shared_ptr<DeviceCore>& c) { return c->unpublished_departure(); });
    std::vector<std::shared_ptr<DeviceCore>> owned;
    for (auto& c : deps)
        if (c->begin_removal()) owned.push_back(c);
    for (auto& c : owned) c->abort_io();
    abort_io();
    for (auto& c : deps) {
        if (std::find(owned.begin(), owned.end(), c) != owned.end()) {
            c->finish_removal();
        } else {
            while (!c->wait_announced(std::chrono::milliseconds(5000)))
                std::fprintf(stderr, "usbio: %s: waiting for consumer %s to be removed\n", info_.display_name().c_str(),
                             c->info().display_name().c_str());
        }
    }
    drain_and_teardown();
    mark_gone();
}

void DeviceCore::remove() {
    // Gone, its removed event perhaps still being delivered (a callback may
    // call this): nothing to wait for.
    if (state() == DeviceState::gone) return;
    if (unpublished_departure()) return;
    if (held_here()) {
        // Cannot wait for our own call to leave: finish when it has.
        request_remove();
        return;
    }
    if (begin_removal()) {
        finish_removal();
        return;
    }
    wait_gone(std::chrono::milliseconds::max());
}

void DeviceCore::request_remove() {
    if (unpublished_departure()) return;
    if (!begin_removal()) return;
    auto self = shared_from_this();
    auto ctx = ctx_.lock();
    if (ctx) {
        ctx->spawn([self] { self->finish_removal(); });
    } else {
        // The Context is being destroyed; its shutdown removes devices
        // synchronously, so this only happens for a device it never held.
        std::thread([self] { self->finish_removal(); }).detach();
    }
}

bool DeviceCore::wait_announced(std::chrono::milliseconds timeout) const {
    std::unique_lock lk(mu_);
    return gone_cv_.wait_for(lk, timeout, [this] { return announced_; });
}

bool DeviceCore::wait_gone(std::chrono::milliseconds timeout) const {
    std::unique_lock lk(mu_);
    if (timeout == std::chrono::milliseconds::max()) {
        gone_cv_.wait(lk, [this] { return gone_; });
        return true;
    }
    return gone_cv_.wait_for(lk, timeout, [this] { return gone_; });
}

}  // namespace usbio::detail
