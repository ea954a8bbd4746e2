// SPDX-License-Identifier: Apache-2.0
#include "host/usb_host.hpp"

#include <algorithm>
#include <set>

#include "usbio/context.hpp"
#include "usbio/usb/libusb_device_info.hpp"
#include "usbio/usb/libusb_transport.hpp"

namespace usbio::host {

namespace {

using Clock = std::chrono::steady_clock;

// Re-enumeration more often than this costs more than it finds.
constexpr std::chrono::milliseconds kMinPollInterval{10};

}  // namespace

Result<std::shared_ptr<UsbHost>> UsbHost::start(Context& ctx, std::shared_ptr<usb::LibusbApi> api, usb::Options options,
                                                std::vector<ChipEntry> table) {
    auto lctx = usb::LibusbContext::create(std::move(api));
    if (!lctx) return lctx.error();
    options.poll_interval = std::max(options.poll_interval, kMinPollInterval);
    std::shared_ptr<UsbHost> host(new UsbHost(ctx, std::move(lctx).value(), options, std::move(table)));

    if (options.hotplug) {
        host->watch_ = usb::Watch::polling;
        if (host->api_.has_hotplug()) {
            const int r = host->api_.hotplug_register_callback(
                host->lctx_->raw(), LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
                LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, &UsbHost::on_hotplug,
                &host->queue_, &host->hotplug_handle_);
            if (r == 0) {
                host->hotplug_registered_ = true;
                host->watch_ = usb::Watch::hotplug;
            }
        }
    }
    // The driver's link is gone once core has removed the device, whoever
    // asked for the removal: only then can its interface be bound again.
    // Removals of other devices cost one needless scan.
    host->removals_ = ctx.subscribe([w = host->waker_](const Event& e) {
        if (e.type != Event::Type::removed) return;
        std::lock_guard lk(w->mu);
        if (w->queue) w->queue->push_rescan();
    });
    host->scan();
    host->worker_ = std::thread([h = host.get()] { h->worker(); });
    return host;
}

UsbHost::UsbHost(Context& ctx, std::shared_ptr<usb::LibusbContext> lctx, usb::Options options,
                 std::vector<ChipEntry> table)
    : ctx_(ctx), lctx_(std::move(lctx)), api_(lctx_->api()), options_(options), table_(std::move(table)), queue_(api_) {
    waker_->queue = &queue_;
}

UsbHost::~UsbHost() {
    removals_.reset();
    {
        std::lock_guard lk(waker_->mu);
        waker_->queue = nullptr;
    }
    // Deregistered between two rounds of event handling (a synchronous
    // caller may be handling events too): no hotplug callback is running
    // then, and none runs after.
    if (hotplug_registered_)
        lctx_->run_between_rounds([this] { api_.hotplug_deregister_callback(lctx_->raw(), hotplug_handle_); });
    queue_.stop();
    if (worker_.joinable()) worker_.join();

    std::map<Key, Present> present;
    {
        std::lock_guard lk(mu_);
        present.swap(present_);
        order_.clear();
    }
    for (auto& [key, p] : present) {
        for (auto& b : p.bound) b.link.remove();  // synchronous: the driver lets go of the device here
        api_.unref_device(p.dev);
    }
    // lctx_ goes last; the event thread stops with its last owner.
}

int LIBUSB_CALL UsbHost::on_hotplug(libusb_context*, libusb_device* dev, libusb_hotplug_event event, void* user_data) {
    auto* queue = static_cast<WorkQueue*>(user_data);
    queue->push_device(event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? WorkItem::Kind::arrived : WorkItem::Kind::left,
                       dev);
    return 0;  // stay registered
}

void UsbHost::worker() {
    auto next_scan = Clock::now() + options_.poll_interval;
    for (;;) {
        // Re-enumerate every poll_interval where libusb has no hotplug
        // events, and also while an interface waits to be bound again.
        const bool timed = watch_ == usb::Watch::polling || rebind_wanted();
        std::optional<WorkItem> item = queue_.pop(timed ? next_scan : Clock::now() + std::chrono::hours(1));
        if (queue_.stopped()) {
            if (item && item->dev) api_.unref_device(item->dev);
            return;
        }
        if (!item) {
            if (timed && Clock::now() >= next_scan) {
                scan();
                next_scan = Clock::now() + options_.poll_interval;
            }
            continue;
        }
        switch (item->kind) {
        case WorkItem::Kind::arrived: arrive(item->dev); break;
        case WorkItem::Kind::left: depart(key_of(item->dev)); break;
        case WorkItem::Kind::rescan:
            scan();
            next_scan = Clock::now() + options_.poll_interval;
            break;
        case WorkItem::Kind::mark: queue_.mark_done(item->seq); break;
        }
        if (item->dev) api_.unref_device(item->dev);
        // A retry that became due while idle waits a full period, not none.
        if (next_scan < Clock::now()) next_scan = Clock::now() + options_.poll_interval;
    }
}

UsbHost::Key UsbHost::key_of(libusb_device* dev) const {
    return {api_.get_bus_number(dev), api_.get_device_address(dev)};
}

void UsbHost::scan() {
    libusb_device** list = nullptr;
    const ssize_t n = api_.get_device_list(lctx_->raw(), &list);
    if (n < 0) return;  // try again at the next scan
    std::set<Key> seen;
    for (ssize_t i = 0; i < n; ++i) {
        const Key key = key_of(list[i]);
        seen.insert(key);
        bool known = false;
        {
            std::lock_guard lk(mu_);
            known = present_.count(key) != 0;
        }
        if (known)
            rebind(key);
        else
            arrive(list[i]);
    }
    api_.free_device_list(list, 1);

    std::vector<Key> gone;
    {
        std::lock_guard lk(mu_);
        for (const auto& [key, p] : present_)
            if (!seen.count(key)) gone.push_back(key);
    }
    for (const auto& key : gone) depart(key);
}

void UsbHost::arrive(libusb_device* dev) {
    libusb_device_descriptor desc{};
    if (api_.get_device_descriptor(dev, &desc) != 0) return;
    const ChipEntry* entry = find_chip(table_, desc.idVendor, desc.idProduct);
    if (!entry) return;
    const Key key = key_of(dev);
    {
        std::lock_guard lk(mu_);
        if (present_.count(key)) return;  // seen by both the first scan and a hotplug event
    }

    Present p;
    p.dev = api_.ref_device(dev);
    p.entry = entry;
    p.path = usb::port_path(api_, dev);
    bool any_without_driver = false;
    for (uint8_t itf : entry->interfaces) {
        if (!entry->probe) {
            p.unbound.push_back(Unbound{no_driver(*entry, p.path, itf), false});
            any_without_driver = true;
            continue;
        }
        auto r = bind(p, itf);
        if (auto* b = std::get_if<Binding>(&r))
            p.bound.push_back(std::move(*b));
        else
            p.unbound.push_back(std::move(std::get<Unbound>(r)));
    }
    if (any_without_driver) {
        const std::string serial = read_serial(dev, std::string(entry->chip) + " [" + p.path + "]");
        for (auto& u : p.unbound)
            if (u.adapter.serial.empty()) u.adapter.serial = serial;
    }
    std::lock_guard lk(mu_);
    present_.emplace(key, std::move(p));
    order_.push_back(key);
}

std::variant<Binding, Unbound> UsbHost::bind(const Present& p, uint8_t interface) {
    return bind_interface(ctx_, lctx_, p.dev, *p.entry, p.path, interface);
}

void UsbHost::rebind(const Key& key) {
    // Only the worker changes present_ once started, so `p` stays valid
    // while the lock is let go for binding; the lock is for unbound().
    Present* p = nullptr;
    std::vector<uint8_t> again;
    {
        std::lock_guard lk(mu_);
        auto it = present_.find(key);
        if (it == present_.end()) return;
        p = &it->second;
        // A driver still being torn down holds its interface: not yet.
        std::erase_if(p->bound, [&](const Binding& b) {
            if (!b.link.gone()) return false;
            again.push_back(b.interface);
            return true;
        });
        std::erase_if(p->unbound, [&](const Unbound& u) {
            if (!u.retry) return false;
            again.push_back(static_cast<uint8_t>(u.adapter.interface));
            return true;
        });
    }
    for (uint8_t itf : again) {
        auto r = bind(*p, itf);
        std::lock_guard lk(mu_);
        if (auto* b = std::get_if<Binding>(&r))
            p->bound.push_back(std::move(*b));
        else
            p->unbound.push_back(std::move(std::get<Unbound>(r)));
    }
}

bool UsbHost::rebind_wanted() const {
    std::lock_guard lk(mu_);
    for (const auto& [key, p] : present_) {
        for (const auto& b : p.bound)
            if (!b.link.alive()) return true;
        for (const auto& u : p.unbound)
            if (u.retry) return true;
    }
    return false;
}

// Best effort, for listing an adapter no driver binds: opens it without
// claiming anything (no kernel driver is disturbed) and reads the serial.
std::string UsbHost::read_serial(libusb_device* dev, const std::string& who) {
    auto t = usb::LibusbTransport::open(lctx_, dev, std::nullopt, who);
    if (!t) return {};
    return (*t)->identity().serial;
}

void UsbHost::depart(const Key& key) {
    Present p;
    {
        std::lock_guard lk(mu_);
        auto it = present_.find(key);
        if (it == present_.end()) return;
        p = std::move(it->second);
        present_.erase(it);
        order_.erase(std::remove(order_.begin(), order_.end(), key), order_.end());
    }
    for (const auto& b : p.bound) b.device_left();
    api_.unref_device(p.dev);
}

std::vector<usb::UnboundAdapter> UsbHost::unbound() const {
    std::lock_guard lk(mu_);
    std::vector<usb::UnboundAdapter> out;
    for (const auto& key : order_) {
        auto it = present_.find(key);
        if (it == present_.end()) continue;
        for (const auto& u : it->second.unbound) out.push_back(u.adapter);
    }
    return out;
}

bool UsbHost::settle(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    // Hotplug events libusb has already received are in the queue once
    // they have been handled (here, if no other thread is handling events). Work done meanwhile can cause more
    // (a device that leaves while it is probed), so rounds go on until one
    // brings no arrival or departure.
    uint64_t seen = queue_.devices_pushed();
    for (;;) {
        if (watch_ == usb::Watch::hotplug) lctx_->handle_pending_events();
        if (watch_ == usb::Watch::polling) queue_.push_rescan();
        if (!queue_.wait_done(queue_.push_mark(), deadline)) return false;
        if (watch_ == usb::Watch::hotplug) lctx_->handle_pending_events();
        const uint64_t now = queue_.devices_pushed();
        if (now == seen) return true;
        seen = now;
    }
}

}  // namespace usbio::host
