// SPDX-License-Identifier: Apache-2.0
// The synchronous helpers of Transport: what they submit, how they map the
// result, and that a caller who stopped waiting is never written to later.
#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>

#include "transport_test_util.hpp"

namespace usbio::usb::test {
namespace {

using LB = LoopbackModel;

// A transport the test drives by hand: it records submits and cancels, and
// the test completes transfers from its own thread whenever it likes.
class ManualTransport final : public Transport {
public:
    struct Submitted {
        TransferId id;
        TransferRequest req;
        Completion done;
    };

    ~ManualTransport() override {
        for (auto& th : cancellers_) th.join();
    }

    const DeviceIdentity& identity() const override { return identity_; }
    TransferId submit(TransferRequest req, Completion done) override {
        std::lock_guard<std::mutex> lk(mu_);
        const TransferId id = next_++;
        queue_.push_back({id, std::move(req), std::move(done)});
        cv_.notify_all();
        return id;
    }
    void cancel(TransferId id) override {
        std::lock_guard<std::mutex> lk(mu_);
        cancelled_.push_back(id);
        cv_.notify_all();
        if (!answer_cancel_) return;
        // Answer from another thread, as a transport's event thread would.
        for (auto it = queue_.begin(); it != queue_.end(); ++it) {
            if (it->id != id) continue;
            Completion done = std::move(it->done);
            queue_.erase(it);
            cancellers_.emplace_back([done = std::move(done)]() mutable {
                TransferResult r;
                r.status = errc(ECANCELED);
                done(std::move(r));
            });
            return;
        }
    }
    void abort() override {}
    void on_disconnect(std::function<void()>) override {}
    bool connected() const override { return true; }

    void answer_cancel(bool on) {
        std::lock_guard<std::mutex> lk(mu_);
        answer_cancel_ = on;
    }
    // Returns a taken transfer, keeping its id.
    void put_back(Submitted s) {
        std::lock_guard<std::mutex> lk(mu_);
        queue_.push_back(std::move(s));
    }

    // Waits for the next submitted transfer and takes it.
    Submitted take() {
        std::unique_lock<std::mutex> lk(mu_);
        if (!cv_.wait_for(lk, kWait, [&] { return !queue_.empty(); })) {
            ADD_FAILURE() << "nothing submitted";
            return {};
        }
        Submitted s = std::move(queue_.front());
        queue_.pop_front();
        return s;
    }
    bool wait_cancelled(TransferId id) {
        std::unique_lock<std::mutex> lk(mu_);
        return cv_.wait_for(lk, kWait,
                            [&] { return std::find(cancelled_.begin(), cancelled_.end(), id) != cancelled_.end(); });
    }

private:
    DeviceIdentity identity_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Submitted> queue_;
    std::vector<TransferId> cancelled_;
    std::vector<std::thread> cancellers_;
    TransferId next_ = 1;
    bool answer_cancel_ = false;
};

TransferResult ok_result(std::vector<uint8_t> data, std::size_t actual) {
    TransferResult r;
    r.data = std::move(data);
    r.actual = actual;
    return r;
}

TEST(TransportSync, ControlOutTakesWLengthFromTheData) {
    ManualTransport t;
    std::error_code ec;
    std::thread caller([&] { ec = t.control_out(ControlSetup{0x21, 0x09, 0x0302, 0, 99}, bytes(5), 300ms); });
    auto s = t.take();
    EXPECT_EQ(s.req.type, TransferType::control);
    EXPECT_EQ(s.req.setup.bmRequestType, 0x21);
    EXPECT_EQ(s.req.setup.bRequest, 0x09);
    EXPECT_EQ(s.req.setup.wValue, 0x0302);
    EXPECT_EQ(s.req.setup.wLength, 5);
    EXPECT_EQ(s.req.data, bytes(5));
    EXPECT_EQ(s.req.timeout, 300ms);
    std::thread([&] { s.done(ok_result({}, 5)); }).join();
    caller.join();
    EXPECT_FALSE(ec);
}

TEST(TransportSync, ControlInAsksForWLengthBytes) {
    ManualTransport t;
    std::error_code ec;
    std::vector<uint8_t> out;
    std::thread caller([&] { ec = t.control_in(ControlSetup{0xA1, 0x01, 0x0302, 0, 3}, out, 100ms); });
    auto s = t.take();
    EXPECT_EQ(s.req.data.size(), 3u);
    std::thread([&] { s.done(ok_result(bytes(2), 2)); }).join();
    caller.join();
    EXPECT_FALSE(ec);
    EXPECT_EQ(out, bytes(2));
}

TEST(TransportSync, ShortWriteIsEio) {
    ManualTransport t;
    std::error_code ec;
    std::thread caller([&] { ec = t.write(0x01, TransferType::interrupt, bytes(10), 100ms); });
    auto s = t.take();
    EXPECT_EQ(s.req.endpoint, 0x01);
    EXPECT_EQ(s.req.type, TransferType::interrupt);
    std::thread([&] { s.done(ok_result({}, 7)); }).join();
    caller.join();
    EXPECT_EQ(ec, errc(EIO));
}

TEST(TransportSync, ReadReturnsDataAndClearsOutOnError) {
    ManualTransport t;
    std::vector<uint8_t> out{1, 2, 3};
    std::error_code ec;
    std::thread caller([&] { ec = t.read(0x82, TransferType::bulk, 64, out, 100ms); });
    auto s = t.take();
    EXPECT_EQ(s.req.data.size(), 64u);
    EXPECT_EQ(s.req.type, TransferType::bulk);
    std::thread([&] { s.done(ok_result(bytes(9), 9)); }).join();
    caller.join();
    EXPECT_FALSE(ec);
    EXPECT_EQ(out, bytes(9));

    std::thread caller2([&] { ec = t.read(0x82, TransferType::bulk, 64, out, 100ms); });
    auto s2 = t.take();
    std::thread([&] {
        TransferResult r;
        r.status = errc(EPIPE);
        s2.done(std::move(r));
    }).join();
    caller2.join();
    EXPECT_EQ(ec, errc(EPIPE));
    EXPECT_TRUE(out.empty());
}

// A transport that never reports the timeout: the helper gives up a bounded
// time after the request's timeout, cancels, and a reply that comes later
// lands in the shared state, not in the caller's vector.
TEST(TransportSync, StuckTransportIsCancelledAndLateReplyIsHarmless) {
    ManualTransport t;
    std::vector<uint8_t> out{0xAA};
    std::error_code ec;
    const auto start = std::chrono::steady_clock::now();
    std::thread caller([&] { ec = t.read(0x81, TransferType::interrupt, 8, out, 20ms); });
    auto s = t.take();
    EXPECT_TRUE(t.wait_cancelled(s.id));
    caller.join();
    EXPECT_EQ(ec, errc(ETIMEDOUT));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
    out.assign(4, 0x55);
    std::thread([&] { s.done(ok_result(bytes(8), 8)); }).join();
    EXPECT_EQ(out, std::vector<uint8_t>(4, 0x55));
}

TEST(TransportSync, OwnCancelIsReportedAsTimeout) {
    ManualTransport t;
    t.answer_cancel(true);
    std::vector<uint8_t> out;
    std::error_code ec;
    std::thread caller([&] { ec = t.control_in(ControlSetup{0xC0, 1, 0, 0, 4}, out, 10ms); });
    auto s = t.take();
    // Put it back so cancel() finds and answers it.
    t.put_back(std::move(s));
    caller.join();
    EXPECT_EQ(ec, errc(ETIMEDOUT));
}

TEST(TransportSync, SimAbortWakesAReadWithoutTimeout) {
    Rig rig;
    std::error_code ec;
    std::vector<uint8_t> out;
    std::thread caller([&] { ec = rig.t().read(LB::kIntIn, TransferType::interrupt, 8, out, 0ms); });
    const auto until = std::chrono::steady_clock::now() + kWait;
    while (rig.model->in_tokens(LB::kIntIn) == 0 && std::chrono::steady_clock::now() < until) rig.sync();
    rig.t().abort();
    caller.join();
    EXPECT_EQ(ec, errc(ECANCELED));
}

TEST(TransportSync, SimUnplugWakesAReadWithoutTimeout) {
    Rig rig;
    std::error_code ec;
    std::vector<uint8_t> out;
    std::thread caller([&] { ec = rig.t().read(LB::kIntIn, TransferType::interrupt, 8, out, 0ms); });
    rig.t().unplug();
    caller.join();
    EXPECT_EQ(ec, errc(ENODEV));
}

// The model holds a request past its timeout; the helper returns ETIMEDOUT
// on its own, and the reply that comes later changes nothing the caller has.
TEST(TransportSync, SimSlowModelDoesNotHoldTheCallerOrWriteLate) {
    Rig rig;
    std::vector<uint8_t> out{7};
    const auto ec = rig.t().control_in(ControlSetup{0xC0, LB::kBlock, 0, 0, 4}, out, 20ms);
    EXPECT_EQ(ec, errc(ETIMEDOUT));
    out.assign(3, 0x33);
    rig.model->release();
    Async after;
    rig.t().submit(control_request(vendor_in(LB::kPattern, 4)), after.callback());
    EXPECT_FALSE(after.get().status);  // the late completion has run by now
    EXPECT_EQ(out, std::vector<uint8_t>(3, 0x33));
}

}  // namespace
}  // namespace usbio::usb::test
