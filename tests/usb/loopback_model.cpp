// SPDX-License-Identifier: Apache-2.0
#include "loopback_model.hpp"

#include <stdexcept>

namespace usbio::usb::test {

DeviceIdentity LoopbackModel::identity() const {
    DeviceIdentity id;
    id.vid = 0x1209;
    id.pid = 0x0001;
    id.bcd_device = 0x0100;
    id.manufacturer = "usbio";
    id.product = "loopback";
    id.serial = "LB0001";
    id.path = "model-path";  // the transport must replace it
    InterfaceInfo itf;
    itf.number = 0;
    itf.klass = 0xFF;
    itf.endpoints = {
        {kIntOut, TransferType::interrupt, kIntMaxPacket},
        {kIntIn, TransferType::interrupt, kIntMaxPacket},
        {kBulkOut, TransferType::bulk, kBulkMaxPacket},
        {kBulkIn, TransferType::bulk, kBulkMaxPacket},
    };
    id.interfaces.push_back(itf);
    return id;
}

std::vector<uint8_t> LoopbackModel::device_descriptor() const {
    return {18, 1, 0x00, 0x02, 0xFF, 0, 0, 64, 0x09, 0x12, 0x01, 0x00, 0x00, 0x01, 1, 2, 3, 1};
}

std::vector<uint8_t> LoopbackModel::config_descriptor() const { return {9, 2, 9, 0, 1, 1, 0, 0x80, 50}; }

void LoopbackModel::note_thread() {
    std::lock_guard<std::mutex> lk(mu_);
    threads_.insert(std::this_thread::get_id());
}

ControlReply LoopbackModel::control(const ControlSetup& setup, std::span<const uint8_t> out) {
    note_thread();
    ControlReply reply;
    switch (setup.bRequest) {
    case kStore: {
        std::lock_guard<std::mutex> lk(mu_);
        stored_.assign(out.begin(), out.end());
        break;
    }
    case kLoad: {
        std::lock_guard<std::mutex> lk(mu_);
        reply.data = stored_;
        break;
    }
    case kStall: reply.stall = true; break;
    case kPattern:
        for (int i = 0; i < 32; ++i) reply.data.push_back(static_cast<uint8_t>(i));
        break;
    case kBlock: {
        std::unique_lock<std::mutex> lk(mu_);
        blocked_ = true;
        cv_.notify_all();
        // Bounded, so a broken test cannot hang the suite.
        cv_.wait_for(lk, std::chrono::seconds(10), [&] { return released_; });
        blocked_ = false;
        break;
    }
    case kEcho:
        reply.data = {static_cast<uint8_t>(setup.wValue), static_cast<uint8_t>(setup.wValue >> 8),
                      static_cast<uint8_t>(setup.wIndex), static_cast<uint8_t>(setup.wIndex >> 8)};
        break;
    case kThrow: throw std::runtime_error("loopback model failure");
    default: reply.stall = true; break;
    }
    return reply;
}

bool LoopbackModel::out_packet(uint8_t endpoint, std::span<const uint8_t> data) {
    note_thread();
    bool echoed = false;
    {
        std::lock_guard<std::mutex> lk(mu_);
        if (out_budget_) {
            if (*out_budget_ == 0) return false;
            --*out_budget_;
        }
        out_log_[endpoint].emplace_back(data.begin(), data.end());
        if (echo_) {
            in_queues_[static_cast<uint8_t>(endpoint | 0x80)].emplace_back(data.begin(), data.end());
            echoed = true;
        }
    }
    // Called from inside a model call on the host's event thread, on purpose.
    if (echoed) notify();
    return true;
}

std::optional<std::vector<uint8_t>> LoopbackModel::in_packet(uint8_t endpoint) {
    note_thread();
    std::lock_guard<std::mutex> lk(mu_);
    ++in_tokens_[endpoint];
    auto& q = in_queues_[endpoint];
    if (q.empty()) return std::nullopt;
    std::vector<uint8_t> pkt = std::move(q.front());
    q.pop_front();
    return pkt;
}

void LoopbackModel::set_in_ready_notifier(std::function<void()> notify) {
    std::lock_guard<std::mutex> lk(mu_);
    notify_ = std::move(notify);
}

void LoopbackModel::reset() {
    std::lock_guard<std::mutex> lk(mu_);
    in_queues_.clear();
    out_budget_.reset();
}

void LoopbackModel::notify() {
    std::function<void()> n;
    {
        std::lock_guard<std::mutex> lk(mu_);
        n = notify_;
    }
    if (n) n();
}

void LoopbackModel::push_in(uint8_t endpoint, std::vector<uint8_t> packet) {
    {
        std::lock_guard<std::mutex> lk(mu_);
        in_queues_[endpoint].push_back(std::move(packet));
    }
    notify();
}

std::vector<std::vector<uint8_t>> LoopbackModel::out_packets(uint8_t endpoint) const {
    std::lock_guard<std::mutex> lk(mu_);
    auto it = out_log_.find(endpoint);
    return it == out_log_.end() ? std::vector<std::vector<uint8_t>>{} : it->second;
}

void LoopbackModel::set_echo(bool on) {
    std::lock_guard<std::mutex> lk(mu_);
    echo_ = on;
}

void LoopbackModel::refuse_out_after(std::size_t accepted) {
    std::lock_guard<std::mutex> lk(mu_);
    out_budget_ = accepted;
}

std::size_t LoopbackModel::in_tokens(uint8_t endpoint) const {
    std::lock_guard<std::mutex> lk(mu_);
    auto it = in_tokens_.find(endpoint);
    return it == in_tokens_.end() ? 0 : it->second;
}

bool LoopbackModel::wait_blocked(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return blocked_; });
}

void LoopbackModel::release() {
    std::lock_guard<std::mutex> lk(mu_);
    released_ = true;
    cv_.notify_all();
}

std::set<std::thread::id> LoopbackModel::host_threads() const {
    std::lock_guard<std::mutex> lk(mu_);
    return threads_;
}

}  // namespace usbio::usb::test
