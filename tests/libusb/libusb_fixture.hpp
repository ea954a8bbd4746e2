// SPDX-License-Identifier: Apache-2.0
// A libusb transport on the fake: one scripted device, one context, and a
// waitable completion.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "fake_libusb.hpp"
#include "usbio/usb/libusb_context.hpp"
#include "usbio/usb/libusb_transport.hpp"

namespace usbio::test {

using namespace std::chrono_literals;

// Generous: only reached when something is broken.
constexpr auto kWait = std::chrono::seconds(10);

inline std::error_code errc(int e) { return {e, std::generic_category()}; }

// A completion that can be waited on. A second call throws from
// set_value, which fails the test binary: "exactly once" is checked on
// every use.
struct Async {
    std::shared_ptr<std::promise<usb::TransferResult>> promise = std::make_shared<std::promise<usb::TransferResult>>();
    std::shared_future<usb::TransferResult> future = promise->get_future().share();
    std::shared_ptr<std::atomic<std::thread::id>> thread = std::make_shared<std::atomic<std::thread::id>>();

    usb::Completion callback() const {
        return [p = promise, t = thread](usb::TransferResult&& r) {
            t->store(std::this_thread::get_id());
            p->set_value(std::move(r));
        };
    }
    bool ready() const { return future.wait_for(0s) == std::future_status::ready; }
    usb::TransferResult get() const {
        if (future.wait_for(kWait) != std::future_status::ready) {
            ADD_FAILURE() << "transfer did not complete";
            usb::TransferResult r;
            r.status = errc(ETIMEDOUT);
            return r;
        }
        return future.get();
    }
};

// A flag set by a callback, waitable.
struct Signal {
    std::shared_ptr<std::promise<void>> p = std::make_shared<std::promise<void>>();
    std::shared_future<void> f = p->get_future().share();
    std::shared_ptr<std::atomic<int>> count = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<std::thread::id>> thread = std::make_shared<std::atomic<std::thread::id>>();

    std::function<void()> callback() const {
        return [p = p, c = count, t = thread] {
            t->store(std::this_thread::get_id());
            if (c->fetch_add(1) == 0) p->set_value();
        };
    }
    bool wait() const { return f.wait_for(kWait) == std::future_status::ready; }
};

inline usb::TransferRequest interrupt_in(uint8_t ep = 0x81, std::size_t len = 64,
                                         std::chrono::milliseconds timeout = 0ms) {
    usb::TransferRequest r;
    r.type = usb::TransferType::interrupt;
    r.endpoint = ep;
    r.data.resize(len);
    r.timeout = timeout;
    return r;
}

inline usb::TransferRequest interrupt_out(std::vector<uint8_t> data, uint8_t ep = 0x01) {
    usb::TransferRequest r;
    r.type = usb::TransferType::interrupt;
    r.endpoint = ep;
    r.data = std::move(data);
    r.timeout = 1000ms;
    return r;
}

class LibusbTest : public ::testing::Test {
protected:
    void SetUp() override {
        fake = std::make_shared<FakeLibusb>();
        auto c = usb::LibusbContext::create(fake);
        ASSERT_TRUE(c.ok());
        ctx = std::move(c).value();
    }

    void TearDown() override {
        ctx.reset();  // stops the event thread, libusb_exit
        EXPECT_EQ(fake->violations(), std::vector<std::string>{});
        EXPECT_EQ(fake->open_handles(), 0);
        EXPECT_EQ(fake->device_refs(), 0);
    }

    FakeLibusb::Dev* plug(FakeDeviceSpec spec = scripted_spec()) { return fake->plug(std::move(spec)); }

    // The context's event thread (it may not have entered libusb yet).
    std::thread::id event_thread() const {
        std::thread::id id;
        ctx->run_on_event_thread([&id] { id = std::this_thread::get_id(); });
        return id;
    }

    std::unique_ptr<usb::LibusbTransport> open(FakeLibusb::Dev* dev, std::optional<uint8_t> itf = 0) {
        auto t = usb::LibusbTransport::open(ctx, FakeLibusb::as_libusb(dev), itf, "test [1-2]");
        EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
        if (!t.ok()) return nullptr;
        return std::move(t).value();
    }

    std::shared_ptr<FakeLibusb> fake;
    std::shared_ptr<usb::LibusbContext> ctx;
};

}  // namespace usbio::test
