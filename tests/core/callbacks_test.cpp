// SPDX-License-Identifier: Apache-2.0
// Event callbacks that do what the API allows while other devices are being
// removed on other threads: destroy the Context, settle(), unsubscribe
// themselves and each other, call into devices. None of it may deadlock; a
// watchdog turns a hang into a failure with every thread's stack.
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <latch>
#include <optional>
#include <thread>

#include "fake_driver.hpp"
#include "usbio/usbio.hpp"
#include "watchdog.hpp"

using namespace usbio;
using namespace std::chrono_literals;

namespace {

constexpr int kCycles = 40;

// Counts removed events and lets the test wait for a number of them.
struct RemovedCounter {
    std::mutex mu;
    std::condition_variable cv;
    int n = 0;
    void add() {
        std::lock_guard lk(mu);
        ++n;
        cv.notify_all();
    }
    bool wait_for(int want) {
        std::unique_lock lk(mu);
        return cv.wait_for(lk, 20s, [&] { return n >= want; });
    }
};

// Starts the removal of every device at once, one thread each, as
// simultaneous unplugs do.
void unplug_all_at_once(const std::vector<std::shared_ptr<test::FakeState>>& states) {
    std::latch go(static_cast<std::ptrdiff_t>(states.size()));
    std::vector<std::thread> ts;
    for (auto& st : states)
        ts.emplace_back([&go, link = st->link] {
            go.arrive_and_wait();
            link.request_remove();
        });
    for (auto& t : ts) t.join();
}

enum class FromCallback { destroy_context, settle };

class CallbackDuringRemovals : public ::testing::TestWithParam<FromCallback> {};

TEST_P(CallbackDuringRemovals, DoesNotDeadlock) {
    test::Watchdog dog(60s);
    for (int cycle = 0; cycle < kCycles; ++cycle) {
        auto* ctx = new Context;
        std::vector<std::shared_ptr<test::FakeState>> states;
        for (int i = 0; i < 3; ++i) states.push_back(test::add_fake(*ctx, "CB" + std::to_string(i)).second);
        std::atomic<Context*> owned{ctx};
        RemovedCounter removed;
        auto sub = ctx->subscribe([&](const Event& e) {
            if (e.type != Event::Type::removed) return;
            if (GetParam() == FromCallback::destroy_context) {
                // The first removed event destroys the Context, while the
                // other removals are still running on their own threads.
                if (Context* c = owned.exchange(nullptr)) delete c;
            } else if (Context* c = owned.load()) {
                c->settle();
            }
            removed.add();
        });
        unplug_all_at_once(states);
        ASSERT_TRUE(removed.wait_for(3)) << "cycle " << cycle << ": " << removed.n << " removed events";
        if (Context* c = owned.exchange(nullptr)) {
            c->settle();
            delete c;
        }
        for (auto& st : states) {
            EXPECT_EQ(st->destroyed, 1);
            EXPECT_EQ(st->inside_at_destroy, 0);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Events, CallbackDuringRemovals,
                         ::testing::Values(FromCallback::destroy_context, FromCallback::settle), [](const auto& info) {
                             return info.param == FromCallback::destroy_context ? "DestroyContext" : "Settle";
                         });

TEST(Events, SubscribersThatUnsubscribeEachOtherDuringConcurrentRemovals) {
    test::Watchdog dog(60s);
    for (int cycle = 0; cycle < kCycles; ++cycle) {
        Context ctx;
        std::vector<std::shared_ptr<test::FakeState>> states;
        for (int i = 0; i < 2; ++i) states.push_back(test::add_fake(ctx, "UN" + std::to_string(i)).second);
        std::optional<Subscription> a, b;
        std::atomic<int> a_calls{0}, b_calls{0};
        RemovedCounter removed;
        auto counter = ctx.subscribe([&](const Event& e) {
            if (e.type == Event::Type::removed) removed.add();
        });
        // Where callbacks can run at the same time on two removal threads,
        // make them overlap (the deadlock needs both inside at once); where
        // they cannot, the rendezvous gives up after a short bound.
        std::atomic<int> at_rendezvous{0};
        auto rendezvous = [&] {
            at_rendezvous++;
            auto until = std::chrono::steady_clock::now() + 20ms;
            while (at_rendezvous < 2 && std::chrono::steady_clock::now() < until) std::this_thread::yield();
        };
        // a unsubscribes b when it hears UN1 gone, b unsubscribes a when it
        // hears UN0 gone: with both removals delivered at once on two
        // threads, each would wait for the other's running callback.
        a = ctx.subscribe([&](const Event& e) {
            if (e.type != Event::Type::removed) return;
            a_calls++;
            if (e.device.serial != "UN1") return;
            rendezvous();
            b->reset();
        });
        b = ctx.subscribe([&](const Event& e) {
            if (e.type != Event::Type::removed) return;
            b_calls++;
            if (e.device.serial != "UN0") return;
            rendezvous();
            a->reset();
        });
        unplug_all_at_once(states);
        ASSERT_TRUE(removed.wait_for(2)) << "cycle " << cycle;
        ctx.settle();
        // Callbacks run one event at a time, in subscription order. UN0's
        // event first: a, then b (which silences a); UN1's: b only. UN1's
        // first: a (which silences b); UN0's: a only.
        bool un0_first = a_calls == 1 && b_calls == 2;
        bool un1_first = a_calls == 2 && b_calls == 0;
        EXPECT_TRUE(un0_first || un1_first) << "cycle " << cycle << ": a " << a_calls << ", b " << b_calls;
    }
}

TEST(Events, CallbackUnsubscribesItselfAndCallsIntoAnotherDevice) {
    test::Watchdog dog(60s);
    for (int cycle = 0; cycle < kCycles; ++cycle) {
        Context ctx;
        auto [gone_dev, gone_st] = test::add_fake(ctx, "GONE1");
        auto [sync_dev, sync_st] = test::add_fake(ctx, "GONE2");
        auto [stay_dev, stay_st] = test::add_fake(ctx, "STAY");
        auto stay_bus = stay_dev.i2c_bus().value();
        std::optional<Subscription> self;
        std::atomic<int> calls{0};
        std::atomic<bool> read_ok{false};
        RemovedCounter removed;
        auto counter = ctx.subscribe([&](const Event& e) {
            if (e.type == Event::Type::removed) removed.add();
        });
        self = ctx.subscribe([&](const Event& e) {
            if (e.type != Event::Type::removed) return;
            calls++;
            uint8_t b[2];
            read_ok = stay_bus.read(0x50, b).ok();
            self->reset();
        });
        std::thread t([link = gone_st->link] { link.request_remove(); });
        sync_dev.remove();  // a second removal, synchronous, at the same time
        t.join();
        ASSERT_TRUE(removed.wait_for(2)) << "cycle " << cycle;
        ctx.settle();
        EXPECT_EQ(calls, 1);
        EXPECT_TRUE(read_ok);
    }
}

// After unsubscribe() returns on another thread, the callback is not running
// and never runs again.
TEST(Events, UnsubscribeWaitsForTheRunningCallback) {
    test::Watchdog dog(60s);
    Context ctx;
    std::promise<void> inside, finish;
    auto finish_f = finish.get_future().share();
    std::atomic<bool> running{false};
    std::atomic<int> calls{0};
    Subscription sub = ctx.subscribe([&](const Event&) {
        if (calls++ != 0) return;
        running = true;
        inside.set_value();
        finish_f.wait();
        running = false;
    });
    std::thread adder([&] { test::add_fake(ctx, "W1"); });
    inside.get_future().wait();
    std::thread unsub([&] {
        sub.reset();
        EXPECT_FALSE(running);  // it waited for the callback to end
    });
    finish.set_value();
    unsub.join();
    adder.join();
    test::add_fake(ctx, "W2");  // not delivered to the unsubscribed callback
    EXPECT_EQ(calls, 1);
}

}  // namespace
