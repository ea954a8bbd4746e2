// SPDX-License-Identifier: Apache-2.0
#include "gpio_edges.hpp"

#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "gpio_core.hpp"

namespace usbio::detail {

namespace {

constexpr std::size_t kQueueLimit = 1024;  // oldest dropped beyond this; seqno shows the gap

uint64_t monotonic_ns() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec);
}

}  // namespace

EdgeSampler::EdgeSampler(LineRequestCore& req, std::chrono::microseconds period, uint64_t baseline)
    : req_(req), period_(period), last_(baseline), fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    for (std::size_t i = 0; i < req.offsets.size(); ++i) {
        const auto& s = req.settings[i];
        uint64_t bit = uint64_t{1} << req.offsets[i];
        bool want_rise = s.edge == Edge::rising || s.edge == Edge::both;
        bool want_fall = s.edge == Edge::falling || s.edge == Edge::both;
        if (s.active_low) std::swap(want_rise, want_fall);  // logical to physical
        if (want_rise) rising_mask_ |= bit;
        if (want_fall) falling_mask_ |= bit;
    }
    edge_mask_ = rising_mask_ | falling_mask_;
    thread_ = std::jthread([this](std::stop_token st) { run(st); });
}

EdgeSampler::~EdgeSampler() {
    stop();
    if (fd_ >= 0) ::close(fd_);
}

void EdgeSampler::stop() {
    end(make_error(EBADF,
                   req_.chip->dev.info().display_name() + ": line request of '" + req_.consumer + "' was released"));
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
        thread_.request_stop();
        thread_.join();
    }
}

void EdgeSampler::end(Error e) {
    std::lock_guard lk(mu_);
    if (ended_) return;
    ended_ = std::move(e);
    uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);  // stays readable from now on
    cv_.notify_all();
}

void EdgeSampler::compare(uint64_t levels, uint64_t now_ns) {
    uint64_t changed = (levels ^ last_) & edge_mask_;
    last_ = levels;
    if (!changed) return;
    for (std::size_t i = 0; i < req_.offsets.size(); ++i) {
        unsigned o = req_.offsets[i];
        uint64_t bit = uint64_t{1} << o;
        if (!(changed & bit)) continue;
        bool phys_rise = levels & bit;
        if (phys_rise ? !(rising_mask_ & bit) : !(falling_mask_ & bit)) continue;
        bool logical_rise = phys_rise != req_.settings[i].active_low;
        if (queue_.size() >= kQueueLimit) queue_.pop_front();
        queue_.push_back(
            EdgeEvent{logical_rise ? EdgeEvent::Type::rising : EdgeEvent::Type::falling, o, now_ns, ++seqno_});
        uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);
    }
    cv_.notify_all();
}

void EdgeSampler::run(std::stop_token st) {
    DeviceCore& dev = req_.chip->dev;
    std::stop_token gone = dev.removal_token();
    for (;;) {
        uint64_t levels = 0;
        bool entered = false;
        auto r = req_.chip->call(
            [&](driver::GpioOps& ops) {
                entered = true;
                return ops.get(edge_mask_, levels);
            },
            [&] { return std::string(entered ? "sampling lines for edge events" : "waiting for edge events"); });
        if (!r) {
            end(r.error());
            return;
        }
        std::unique_lock lk(mu_);
        compare(levels, monotonic_ns());
        // Sleep a period, waking early for release (st) or removal (gone).
        std::stop_callback on_gone(gone, [this] { cv_.notify_all(); });
        cv_.wait_for(lk, st, period_, [&] { return gone.stop_requested() || ended_.has_value(); });
        if (st.stop_requested() || ended_) return;
        if (gone.stop_requested()) {
            lk.unlock();
            end(dev.gone_error("waiting for edge events"));
            return;
        }
    }
}

Result<std::vector<EdgeEvent>> EdgeSampler::wait(std::chrono::milliseconds timeout) {
    std::unique_lock lk(mu_);
    cv_.wait_for(lk, timeout, [&] { return !queue_.empty() || ended_.has_value(); });
    if (!queue_.empty()) {
        std::vector<EdgeEvent> out(queue_.begin(), queue_.end());
        queue_.clear();
        if (!ended_) {
            uint64_t v;
            [[maybe_unused]] auto n = ::read(fd_, &v, sizeof v);  // drained: not readable until the next event
        }
        return out;
    }
    if (ended_) return *ended_;
    return std::vector<EdgeEvent>{};
}

}  // namespace usbio::detail
