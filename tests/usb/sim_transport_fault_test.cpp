// SPDX-License-Identifier: Apache-2.0
// Cancel, abort, unplug and destruction: every transfer completes exactly
// once, with the status the contract promises, and nothing runs afterwards.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "transport_test_util.hpp"

namespace usbio::usb::test {
namespace {

using LB = LoopbackModel;

// Counts disconnect reports and lets a test wait for one.
struct DisconnectProbe {
    std::mutex mu;
    std::condition_variable cv;
    int calls = 0;
    std::thread::id thread;

    std::function<void()> callback() {
        return [this] {
            std::lock_guard<std::mutex> lk(mu);
            ++calls;
            thread = std::this_thread::get_id();
            cv.notify_all();
        };
    }
    bool wait(int n) {
        std::unique_lock<std::mutex> lk(mu);
        return cv.wait_for(lk, kWait, [&] { return calls >= n; });
    }
    int count() {
        std::lock_guard<std::mutex> lk(mu);
        return calls;
    }
};

TEST(SimTransportCancel, CancelParkedReadIsEcanceled) {
    Rig rig;
    Async a, b;
    const TransferId ida = rig.t().submit(in_request(LB::kIntIn, 8), a.callback());
    const TransferId idb = rig.t().submit(in_request(LB::kIntIn, 8), b.callback());
    rig.sync();
    rig.t().cancel(idb);  // the one queued behind the head
    EXPECT_EQ(b.get().status, errc(ECANCELED));
    rig.t().cancel(ida);
    EXPECT_EQ(a.get().status, errc(ECANCELED));
    // Unknown, finished and zero ids are harmless.
    rig.t().cancel(ida);
    rig.t().cancel(0);
    rig.t().cancel(123456);
    // The endpoint serves the next read normally.
    rig.model->push_in(LB::kIntIn, bytes(8));
    std::vector<uint8_t> got;
    EXPECT_FALSE(rig.t().read(LB::kIntIn, TransferType::interrupt, 8, got, 1000ms));
    EXPECT_EQ(rig.t().in_flight(), 0u);
}

TEST(SimTransportCancel, CancelBeforeTheEventThreadLooksAtIt) {
    Rig rig;
    // Hold the event thread inside the model so later transfers stay queued.
    Async blocker;
    rig.t().submit(control_request(vendor_out(LB::kBlock), {}, 0ms), blocker.callback());
    ASSERT_TRUE(rig.model->wait_blocked(kWait));
    Async queued;
    const TransferId id = rig.t().submit(control_request(vendor_in(LB::kPattern, 4)), queued.callback());
    rig.t().cancel(id);
    // Completions run on the event thread, so both show up once it is free.
    rig.model->release();
    EXPECT_FALSE(blocker.get().status);
    EXPECT_EQ(queued.get().status, errc(ECANCELED));  // never reached the model
}

TEST(SimTransportCancel, StatusAppliedWhileTheModelWorksWins) {
    Rig rig;
    Async cancelled;
    const TransferId id = rig.t().submit(control_request(vendor_out(LB::kBlock), {}, 0ms), cancelled.callback());
    ASSERT_TRUE(rig.model->wait_blocked(kWait));
    rig.t().cancel(id);
    EXPECT_FALSE(cancelled.ready());  // the model still has it
    rig.model->release();
    EXPECT_EQ(cancelled.get().status, errc(ECANCELED));
}

TEST(SimTransportCancel, DeadlinePassingWhileTheModelWorksIsEtimedout) {
    Rig rig;
    Async a;
    rig.t().submit(control_request(vendor_out(LB::kBlock), {}, 20ms), a.callback());
    const auto submitted = std::chrono::steady_clock::now();
    ASSERT_TRUE(rig.model->wait_blocked(kWait));
    // The deadline is a point in time: let it pass, then let the model answer.
    std::this_thread::sleep_until(submitted + 25ms);
    EXPECT_FALSE(a.ready());
    rig.model->release();
    EXPECT_EQ(a.get().status, errc(ETIMEDOUT));
}

TEST(SimTransportAbort, PendingAndLaterTransfersComplete) {
    Rig rig;
    std::vector<Async> reads(3);
    for (auto& a : reads) EXPECT_NE(rig.t().submit(in_request(LB::kIntIn, 8), a.callback()), 0u);
    rig.sync();
    EXPECT_TRUE(rig.t().connected());
    rig.t().abort();
    EXPECT_FALSE(rig.t().connected());
    for (auto& a : reads) EXPECT_EQ(a.get().status, errc(ECANCELED));

    Async later;
    EXPECT_EQ(rig.t().submit(in_request(LB::kIntIn, 8), later.callback()), 0u);
    EXPECT_EQ(later.get().status, errc(ENODEV));
    std::vector<uint8_t> out;
    EXPECT_EQ(rig.t().control_in(vendor_in(LB::kPattern, 4), out, 1000ms), errc(ENODEV));
    rig.t().abort();  // idempotent
    EXPECT_EQ(rig.t().in_flight(), 0u);
}

TEST(SimTransportAbort, WakesABlockedSynchronousReader) {
    Rig rig;
    std::error_code got;
    std::thread reader([&] {
        std::vector<uint8_t> out;
        got = rig.t().read(LB::kIntIn, TransferType::interrupt, 8, out, 0ms);
    });
    // Abort once the read is parked: the model has seen its IN token.
    const auto until = std::chrono::steady_clock::now() + kWait;
    while (rig.model->in_tokens(LB::kIntIn) == 0 && std::chrono::steady_clock::now() < until) rig.sync();
    EXPECT_GE(rig.model->in_tokens(LB::kIntIn), 1u);
    rig.t().abort();
    reader.join();
    EXPECT_TRUE(got == errc(ECANCELED) || got == errc(ENODEV)) << got.message();
}

TEST(SimTransportAbort, TransferInsideTheModelEndsWhenItReturns) {
    Rig rig;
    Async a;
    rig.t().submit(control_request(vendor_out(LB::kBlock), {}, 0ms), a.callback());
    ASSERT_TRUE(rig.model->wait_blocked(kWait));
    rig.t().abort();
    EXPECT_FALSE(a.ready());
    rig.model->release();
    EXPECT_EQ(a.get().status, errc(ECANCELED));
}

TEST(SimTransportUnplug, PendingAndLaterFailWithEnodevAndDisconnectRunsOnce) {
    Rig rig;
    DisconnectProbe probe;
    rig.t().on_disconnect(probe.callback());
    std::vector<Async> reads(3);
    for (auto& a : reads) rig.t().submit(in_request(LB::kBulkIn, 16, 0ms, TransferType::bulk), a.callback());
    rig.sync();

    std::thread other([&] { rig.t().unplug(); });
    rig.t().unplug();
    other.join();
    EXPECT_FALSE(rig.t().connected());
    for (auto& a : reads) EXPECT_EQ(a.get().status, errc(ENODEV));
    ASSERT_TRUE(probe.wait(1));

    Async later;
    EXPECT_EQ(rig.t().submit(out_request(LB::kIntOut, bytes(3)), later.callback()), 0u);
    EXPECT_EQ(later.get().status, errc(ENODEV));
    rig.t().unplug();
    rig.t().abort();  // abort after unplug: still ENODEV, no second report
    Async after_abort;
    rig.t().submit(in_request(LB::kIntIn, 8), after_abort.callback());
    EXPECT_EQ(after_abort.get().status, errc(ENODEV));
    // Every queued callback has run once the last completion has.
    EXPECT_EQ(probe.count(), 1);
    EXPECT_NE(probe.thread, std::this_thread::get_id());
    EXPECT_EQ(*later.thread, probe.thread);  // the event thread
}

TEST(SimTransportUnplug, TransferInsideTheModelGetsEnodev) {
    Rig rig;
    DisconnectProbe probe;
    rig.t().on_disconnect(probe.callback());
    Async a;
    rig.t().submit(control_request(vendor_out(LB::kBlock), {}, 0ms), a.callback());
    ASSERT_TRUE(rig.model->wait_blocked(kWait));
    rig.t().unplug();
    rig.model->release();
    EXPECT_EQ(a.get().status, errc(ENODEV));
    ASSERT_TRUE(probe.wait(1));
    EXPECT_EQ(probe.count(), 1);
}

TEST(SimTransportUnplug, DisconnectRegisteredLateIsStillReportedOnce) {
    Rig rig;
    rig.t().unplug();
    Async refused;  // once it completed, the event thread had nobody to tell yet
    rig.t().submit(in_request(LB::kIntIn, 8), refused.callback());
    EXPECT_EQ(refused.get().status, errc(ENODEV));
    DisconnectProbe probe;
    rig.t().on_disconnect(probe.callback());
    ASSERT_TRUE(probe.wait(1));
    DisconnectProbe second;
    rig.t().on_disconnect(second.callback());
    Async a;
    rig.t().submit(in_request(LB::kIntIn, 8), a.callback());
    a.get();  // the event thread has gone round again
    EXPECT_EQ(probe.count(), 1);
    EXPECT_EQ(second.count(), 0);
}

TEST(SimTransportUnplug, AbortDoesNotReportADisconnect) {
    Rig rig;
    DisconnectProbe probe;
    rig.t().on_disconnect(probe.callback());
    rig.t().abort();
    Async a;
    rig.t().submit(in_request(LB::kIntIn, 8), a.callback());
    EXPECT_EQ(a.get().status, errc(ENODEV));
    EXPECT_EQ(probe.count(), 0);
}

class UnplugAtTransfer : public ::testing::TestWithParam<int> {};

TEST_P(UnplugAtTransfer, NthTransferFailsEarlierSucceed) {
    const int n = GetParam();
    Rig rig;
    DisconnectProbe probe;
    rig.t().on_disconnect(probe.callback());
    const uint64_t before = rig.t().transfer_count();
    rig.t().unplug_at_transfer(static_cast<uint64_t>(n));
    for (int i = 1; i <= n + 2; ++i) {
        std::error_code ec;
        if (i % 2) {
            std::vector<uint8_t> out;
            ec = rig.t().control_in(vendor_in(LB::kEcho, 4, static_cast<uint16_t>(i)), out, 1000ms);
            if (!ec) {
                EXPECT_EQ(out[0], static_cast<uint8_t>(i));
            }
        } else {
            ec = rig.t().write(LB::kIntOut, TransferType::interrupt, bytes(10), 1000ms);
        }
        if (i < n) {
            EXPECT_FALSE(ec) << "transfer " << i << ": " << ec.message();
            EXPECT_TRUE(rig.t().connected());
        } else {
            EXPECT_EQ(ec, errc(ENODEV)) << "transfer " << i;
            EXPECT_FALSE(rig.t().connected());
        }
    }
    EXPECT_EQ(rig.t().transfer_count() - before, static_cast<uint64_t>(n + 2));
    ASSERT_TRUE(probe.wait(1));
    EXPECT_EQ(probe.count(), 1);
}

INSTANTIATE_TEST_SUITE_P(SimTransportUnplug, UnplugAtTransfer, ::testing::Values(1, 2, 3, 5, 8, 13));

TEST(SimTransportUnplug, UnplugAtTransferFailsPendingReadsToo) {
    Rig rig;
    Async parked;
    rig.t().submit(in_request(LB::kIntIn, 8), parked.callback());
    rig.t().unplug_at_transfer(1);  // counted from here: the next submit
    Async second;
    EXPECT_EQ(rig.t().submit(control_request(vendor_in(LB::kPattern, 2)), second.callback()), 0u);
    EXPECT_EQ(second.get().status, errc(ENODEV));
    EXPECT_EQ(parked.get().status, errc(ENODEV));
}

TEST(SimTransportUnplug, UnplugAtTransferZeroDisarms) {
    Rig rig;
    rig.t().unplug_at_transfer(1);
    rig.t().unplug_at_transfer(0);
    std::vector<uint8_t> out;
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(rig.t().control_in(vendor_in(LB::kPattern, 2), out, 1000ms));
    EXPECT_TRUE(rig.t().connected());
}

// Destruction with transfers in every stage: each completion runs exactly
// once (Async would throw on a second), all before the destructor returns,
// none on the destroying thread.
TEST(SimTransportDestroy, PendingTransfersCompleteBeforeTheDestructorReturns) {
    auto model = std::make_shared<LoopbackModel>();
    auto t = std::make_unique<SimTransport>(model, "sim:1");
    std::atomic<bool> destroyed{false};
    std::atomic<int> late{0};
    std::atomic<int> ran{0};
    std::vector<Async> all(40);
    for (std::size_t i = 0; i < all.size(); ++i) {
        Completion inner = all[i].callback();
        Completion wrapped = [&, inner](TransferResult&& r) {
            if (destroyed.load()) late.fetch_add(1);
            ran.fetch_add(1);
            inner(std::move(r));
        };
        switch (i % 4) {
        case 0: t->submit(in_request(LB::kIntIn, 8), wrapped); break;
        case 1: t->submit(in_request(LB::kBulkIn, 16, 0ms, TransferType::bulk), wrapped); break;
        case 2: t->submit(control_request(vendor_in(LB::kPattern, 4)), wrapped); break;
        default: t->submit(out_request(LB::kIntOut, bytes(9)), wrapped); break;
        }
    }
    t.reset();
    destroyed = true;
    EXPECT_EQ(ran.load(), 40);
    EXPECT_EQ(late.load(), 0);
    for (auto& a : all) {
        ASSERT_TRUE(a.ready());
        const auto st = a.get().status;
        EXPECT_TRUE(!st || st == errc(ECANCELED)) << st.message();
        EXPECT_NE(*a.thread, std::this_thread::get_id());
    }
    // The model outlives the transport and may still signal data.
    model->push_in(LB::kIntIn, bytes(8));
}

TEST(SimTransportDestroy, DestroyedWhileTheModelHoldsATransfer) {
    auto model = std::make_shared<LoopbackModel>();
    auto t = std::make_unique<SimTransport>(model, "sim:1");
    Async a;
    t->submit(control_request(vendor_out(LB::kBlock), {}, 0ms), a.callback());
    ASSERT_TRUE(model->wait_blocked(kWait));
    // The destructor must wait for the model call, whenever it returns.
    std::thread releaser([&] { model->release(); });
    t.reset();
    releaser.join();
    ASSERT_TRUE(a.ready());
    const auto st = a.get().status;
    EXPECT_TRUE(!st || st == errc(ECANCELED)) << st.message();
}

TEST(SimTransportDestroy, FromInsideItsOwnCompletion) {
    auto model = std::make_shared<LoopbackModel>();
    auto holder = std::make_shared<std::unique_ptr<SimTransport>>(std::make_unique<SimTransport>(model, "sim:2"));
    SimTransport* raw = holder->get();
    Async parked, destroyer;
    std::atomic<bool> destroyed{false};
    std::atomic<int> late{0};
    raw->submit(in_request(LB::kIntIn, 8), [&, cb = parked.callback()](TransferResult&& r) {
        if (destroyed.load()) late.fetch_add(1);
        cb(std::move(r));
    });
    raw->submit(control_request(vendor_in(LB::kPattern, 4)),
                [&, holder, cb = destroyer.callback()](TransferResult&& r) {
                    holder->reset();  // ~SimTransport on its own event thread
                    destroyed = true;
                    cb(std::move(r));
                });
    EXPECT_FALSE(destroyer.get().status);
    EXPECT_EQ(parked.get().status, errc(ECANCELED));
    EXPECT_EQ(late.load(), 0);
}

TEST(SimTransportDestroy, AfterUnplugPendingGetEnodevAndNoLateDisconnect) {
    auto model = std::make_shared<LoopbackModel>();
    auto t = std::make_unique<SimTransport>(model, "sim:3");
    std::atomic<bool> destroyed{false};
    std::atomic<int> late{0};
    t->on_disconnect([&] {
        if (destroyed.load()) late.fetch_add(1);
    });
    Async a;
    t->submit(in_request(LB::kIntIn, 8), a.callback());
    t->unplug();
    t.reset();
    destroyed = true;
    ASSERT_TRUE(a.ready());
    EXPECT_EQ(a.get().status, errc(ENODEV));
    EXPECT_EQ(late.load(), 0);
}

// Several threads submit, cancel and wait at once while another unplugs;
// every completion runs once and the transport ends with nothing in flight.
TEST(SimTransportConcurrency, SubmittersCancellersAndUnplug) {
    Rig rig;
    constexpr int kThreads = 4;
    constexpr int kRounds = 150;
    std::atomic<int> completions{0};
    std::atomic<int> submitted{0};
    std::atomic<int> echo_errors{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRounds; ++i) {
                std::vector<uint8_t> out;
                const auto tag = static_cast<uint16_t>(t * 1000 + i);
                const auto ec = rig.t().control_in(vendor_in(LB::kEcho, 4, tag, static_cast<uint16_t>(t)), out, 2000ms);
                if (!ec && (out.size() != 4 || out[0] != (tag & 0xFF) || out[1] != (tag >> 8)))
                    echo_errors.fetch_add(1);
                if (ec && ec != errc(ENODEV)) echo_errors.fetch_add(1);
                submitted.fetch_add(1);
                const TransferId id = rig.t().submit(in_request(t % 2 ? LB::kIntIn : LB::kBulkIn, t % 2 ? 8 : 16, 0ms,
                                                                t % 2 ? TransferType::interrupt : TransferType::bulk),
                                                     [&](TransferResult&&) { completions.fetch_add(1); });
                if (i % 3 == 0) rig.t().cancel(id);
                submitted.fetch_add(1);
                rig.t().submit(out_request(t % 2 ? LB::kIntOut : LB::kBulkOut, bytes(20), 1000ms,
                                           t % 2 ? TransferType::interrupt : TransferType::bulk),
                               [&](TransferResult&&) { completions.fetch_add(1); });
            }
        });
    }
    std::thread unplugger([&] {
        while (submitted.load() < kThreads * kRounds) std::this_thread::yield();
        rig.t().unplug();
    });
    for (auto& th : threads) th.join();
    unplugger.join();
    EXPECT_EQ(echo_errors.load(), 0);
    EXPECT_EQ(rig.t().transfer_count(), static_cast<uint64_t>(3 * kThreads * kRounds));
    // After unplug every parked read completes; completions run in order, so
    // once a later one has run, all have started.
    Async last;
    rig.t().submit(in_request(LB::kIntIn, 8), last.callback());
    EXPECT_EQ(last.get().status, errc(ENODEV));
    EXPECT_EQ(rig.t().in_flight(), 0u);
    EXPECT_EQ(completions.load(), 2 * kThreads * kRounds);
}

}  // namespace
}  // namespace usbio::usb::test
