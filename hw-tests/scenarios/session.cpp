// SPDX-License-Identifier: Apache-2.0
#include "session.hpp"

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <mutex>

namespace usbio::hw {

using Clock = std::chrono::steady_clock;

Result<std::unique_ptr<Session>> Session::start() {
    std::unique_ptr<Session> s(new Session);
    auto host = usb::attach(s->ctx_);
    if (!host) return host.error();
    s->host_ = std::move(host).value();
    return s;
}

Session::~Session() { host_.reset(); }

Result<Device> Session::wait_for(const std::string& serial, std::chrono::milliseconds timeout) {
    // Subscribed before looking, so an arrival in between is not missed.
    EventStream events = ctx_.events();
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        for (const Device& d : ctx_.devices())
            if (d.present() && d.info().serial == serial) return d;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) break;
        events.next(left);
    }
    return make_error(ENODEV, "no adapter with serial '" + serial + "' within " + std::to_string(timeout.count()) +
                                  " ms; " + inventory());
}

std::string Session::inventory() const {
    std::string s = "adapters:";
    const auto devices = ctx_.devices();
    if (devices.empty()) s += " none";
    for (const Device& d : devices) {
        const DeviceInfo& i = d.info();
        s += " [" + i.driver + " serial '" + i.serial + "' path " + i.path + " " + to_string(d.state()) + "]";
    }
    const auto unbound = host_ ? host_->unbound() : std::vector<usb::UnboundAdapter>{};
    if (!unbound.empty()) {
        s += "; not bound:";
        for (const auto& u : unbound)
            s += " [" + u.chip + " serial '" + u.serial + "' path " + u.path + ": " + u.reason.message + "]";
    }
    return s;
}

const char* to_string(usb::Watch w) noexcept {
    switch (w) {
    case usb::Watch::none: return "none";
    case usb::Watch::hotplug: return "hotplug";
    case usb::Watch::polling: return "polling";
    }
    return "?";
}

struct RemovalWatch::State {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Clock::time_point> at;
};

RemovalWatch::RemovalWatch(Context& ctx, std::string device_id) : st_(std::make_shared<State>()) {
    sub_ = ctx.subscribe([st = st_, id = std::move(device_id)](const Event& e) {
        if (e.type != Event::Type::removed || e.device.id != id) return;
        std::lock_guard lk(st->mu);
        if (!st->at) st->at = Clock::now();
        st->cv.notify_all();
    });
}

std::optional<Clock::time_point> RemovalWatch::wait(std::chrono::milliseconds timeout) {
    std::unique_lock lk(st_->mu);
    st_->cv.wait_for(lk, timeout, [&] { return st_->at.has_value(); });
    return st_->at;
}

}  // namespace usbio::hw
