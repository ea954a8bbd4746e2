// SPDX-License-Identifier: Apache-2.0
// Shared bits of the transport tests: a waitable completion and request
// builders.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <future>
#include <memory>
#include <system_error>
#include <thread>

#include "loopback_model.hpp"
#include "usbio/usb/sim_transport.hpp"

namespace usbio::usb::test {

using namespace std::chrono_literals;

// Generous: only reached when something is broken.
constexpr auto kWait = std::chrono::seconds(10);

inline std::error_code errc(int e) { return {e, std::generic_category()}; }

// A completion that can be waited on. A second run of the same completion
// throws from set_value, which ends the test binary: "exactly once" is
// checked on every use.
struct Async {
    std::shared_ptr<std::promise<TransferResult>> promise = std::make_shared<std::promise<TransferResult>>();
    std::shared_future<TransferResult> future = promise->get_future().share();
    std::shared_ptr<std::thread::id> thread = std::make_shared<std::thread::id>();

    Completion callback() const {
        return [p = promise, t = thread](TransferResult&& r) {
            *t = std::this_thread::get_id();
            p->set_value(std::move(r));
        };
    }
    bool ready() const { return future.wait_for(0s) == std::future_status::ready; }
    // Waits (bounded) and returns the result; fails the test on timeout.
    TransferResult get() const {
        if (future.wait_for(kWait) != std::future_status::ready) {
            ADD_FAILURE() << "transfer did not complete";
            TransferResult r;
            r.status = errc(ETIMEDOUT);
            return r;
        }
        return future.get();
    }
};

inline ControlSetup vendor_in(uint8_t request, uint16_t length, uint16_t value = 0, uint16_t index = 0) {
    return ControlSetup{0xC0, request, value, index, length};
}

inline ControlSetup vendor_out(uint8_t request, uint16_t length = 0) {
    return ControlSetup{0x40, request, 0, 0, length};
}

inline TransferRequest control_request(const ControlSetup& setup, std::vector<uint8_t> data = {},
                                       std::chrono::milliseconds timeout = 1000ms) {
    TransferRequest r;
    r.type = TransferType::control;
    r.setup = setup;
    r.data = std::move(data);
    if (setup.bmRequestType & kDirIn) r.data.resize(setup.wLength);
    r.timeout = timeout;
    return r;
}

inline TransferRequest in_request(uint8_t endpoint, std::size_t length, std::chrono::milliseconds timeout = 0ms,
                                  TransferType type = TransferType::interrupt) {
    TransferRequest r;
    r.type = type;
    r.endpoint = endpoint;
    r.data.resize(length);
    r.timeout = timeout;
    return r;
}

inline TransferRequest out_request(uint8_t endpoint, std::vector<uint8_t> data,
                                   std::chrono::milliseconds timeout = 1000ms,
                                   TransferType type = TransferType::interrupt) {
    TransferRequest r;
    r.type = type;
    r.endpoint = endpoint;
    r.data = std::move(data);
    r.timeout = timeout;
    return r;
}

inline std::vector<uint8_t> bytes(std::size_t n, uint8_t first = 0) {
    std::vector<uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(first + i);
    return v;
}

// A transport on a fresh loopback model.
struct Rig {
    std::shared_ptr<LoopbackModel> model = std::make_shared<LoopbackModel>();
    std::unique_ptr<SimTransport> transport = std::make_unique<SimTransport>(model, "sim:7");
    SimTransport& t() { return *transport; }

    // Returns once every transfer submitted so far has been looked at by the
    // event thread: control transfers are served in submission order.
    void sync() {
        std::vector<uint8_t> out;
        ASSERT_FALSE(transport->control_in(vendor_in(LoopbackModel::kPattern, 1), out, 5000ms));
    }
};

}  // namespace usbio::usb::test
