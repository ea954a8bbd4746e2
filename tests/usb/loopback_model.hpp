// SPDX-License-Identifier: Apache-2.0
// A small USB device for transport tests: vendor control requests on EP0,
// and an echo pipe — packets written to an OUT endpoint come back on the
// matching IN endpoint (0x01 -> 0x81 interrupt, 0x02 -> 0x82 bulk). Tests can
// also queue IN packets directly, refuse OUT packets, hold a control request
// inside the model, and see which threads called it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "usbio/usb/device_model.hpp"

namespace usbio::usb::test {

class LoopbackModel : public DeviceModel {
public:
    static constexpr uint8_t kIntOut = 0x01;
    static constexpr uint8_t kIntIn = 0x81;
    static constexpr uint8_t kBulkOut = 0x02;
    static constexpr uint8_t kBulkIn = 0x82;
    static constexpr uint16_t kIntMaxPacket = 8;
    static constexpr uint16_t kBulkMaxPacket = 16;

    // Vendor requests (bmRequestType 0x40 OUT / 0xC0 IN).
    static constexpr uint8_t kStore = 1;    // OUT: keep the data stage
    static constexpr uint8_t kLoad = 2;     // IN: what was stored last
    static constexpr uint8_t kStall = 3;    // either direction: STALL
    static constexpr uint8_t kPattern = 4;  // IN: 32 bytes 0, 1, 2, ...
    static constexpr uint8_t kBlock = 5;    // either: held until release()
    static constexpr uint8_t kEcho = 6;     // IN: wValue, wIndex (little endian)
    static constexpr uint8_t kThrow = 7;    // either: the model throws

    DeviceIdentity identity() const override;
    std::vector<uint8_t> device_descriptor() const override;
    std::vector<uint8_t> config_descriptor() const override;
    ControlReply control(const ControlSetup& setup, std::span<const uint8_t> out) override;
    bool out_packet(uint8_t endpoint, std::span<const uint8_t> data) override;
    std::optional<std::vector<uint8_t>> in_packet(uint8_t endpoint) override;
    void set_in_ready_notifier(std::function<void()> notify) override;
    void reset() override;

    // Queues a packet on an IN endpoint and tells the host.
    void push_in(uint8_t endpoint, std::vector<uint8_t> packet);
    // Packets received on an OUT endpoint, in order.
    std::vector<std::vector<uint8_t>> out_packets(uint8_t endpoint) const;
    void set_echo(bool on);
    // Accept this many more OUT packets, then STALL the rest.
    void refuse_out_after(std::size_t accepted);
    // IN tokens seen on an endpoint (NAKed ones included).
    std::size_t in_tokens(uint8_t endpoint) const;
    // Waits until a kBlock request is inside the model.
    bool wait_blocked(std::chrono::milliseconds timeout);
    // Lets held kBlock requests (and later ones) return.
    void release();
    // Threads that made USB calls into the model.
    std::set<std::thread::id> host_threads() const;

private:
    void notify();
    void note_thread();

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::function<void()> notify_;
    std::vector<uint8_t> stored_;
    std::map<uint8_t, std::deque<std::vector<uint8_t>>> in_queues_;
    std::map<uint8_t, std::vector<std::vector<uint8_t>>> out_log_;
    std::map<uint8_t, std::size_t> in_tokens_;
    std::optional<std::size_t> out_budget_;
    bool echo_ = true;
    bool blocked_ = false;
    bool released_ = false;
    std::set<std::thread::id> threads_;
};

}  // namespace usbio::usb::test
