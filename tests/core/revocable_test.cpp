// SPDX-License-Identifier: Apache-2.0
// The revocable pointer on its own: nesting, out-of-order guards, and the
// drain that waits for readers inside.
#include <gtest/gtest.h>

#include <future>
#include <latch>
#include <thread>

#include "revocable.hpp"

using usbio::detail::Revocable;

namespace {

TEST(Revocable, GuardSeesPointerUntilRevoked) {
    int x = 5;
    Revocable<int> r(&x);
    {
        auto g = r.enter();
        ASSERT_TRUE(g);
        EXPECT_EQ(*g.get(), 5);
        EXPECT_TRUE(r.held_by_this_thread());
    }
    EXPECT_FALSE(r.held_by_this_thread());
    EXPECT_EQ(r.revoke(), &x);
    EXPECT_EQ(r.revoke(), nullptr);  // exactly one revoker sees the pointer
    auto g = r.enter();
    EXPECT_FALSE(g);
}

TEST(Revocable, NestingBeyondTheSlotsFallsBackAndStillCounts) {
    int x = 1;
    Revocable<int> r(&x);
    std::function<void(int)> nest = [&](int depth) {
        auto g = r.enter();
        ASSERT_TRUE(g);
        EXPECT_EQ(r.readers_inside(), depth);
        if (depth < 12) nest(depth + 1);
    };
    nest(1);
    EXPECT_EQ(r.readers_inside(), 0);
}

TEST(Revocable, GuardsEndingOutOfOrderDoNotLoseSlots) {
    int x = 1;
    Revocable<int> a(&x), b(&x);
    // Guards are not movable; a heap holder lets one end before a later one.
    struct Holder {
        explicit Holder(const Revocable<int>& r) : g(r.enter()) {}
        Revocable<int>::Guard g;
    };
    auto ga = std::make_unique<Holder>(a);
    auto gb = b.enter();
    ga.reset();  // a's guard ends first
    EXPECT_FALSE(a.held_by_this_thread());
    EXPECT_TRUE(b.held_by_this_thread());
    auto ga2 = a.enter();  // reuses the hole, must not overwrite b's slot
    EXPECT_TRUE(b.held_by_this_thread());
    EXPECT_EQ(b.readers_inside(), 1);
    EXPECT_EQ(a.readers_inside(), 1);
}

TEST(Revocable, DrainWaitsForReadersInsideAndNotForOthers) {
    int x = 1, y = 2;
    Revocable<int> r(&x), other(&y);
    std::latch entered(2);
    std::promise<void> leave;
    auto leave_f = leave.get_future().share();
    std::atomic<bool> left{false};
    std::thread reader([&] {
        auto g = r.enter();
        entered.count_down();
        leave_f.wait();
        left = true;
    });
    std::thread other_reader([&] {
        auto g = other.enter();  // inside another revocable for the whole test
        entered.count_down();
        leave_f.wait();
    });
    entered.wait();
    r.revoke();
    auto drained = std::async(std::launch::async, [&] {
        r.drain();
        return left.load();
    });
    EXPECT_FALSE(r.enter());  // new readers are refused while draining
    leave.set_value();
    EXPECT_TRUE(drained.get());  // drain returned only after the reader left
    reader.join();
    other_reader.join();
}

TEST(Revocable, ManyReadersAndARevokerNeverUseAfterRevoke) {
    for (int round = 0; round < 50; ++round) {
        auto data = std::make_unique<std::atomic<int>>(42);
        Revocable<std::atomic<int>> r(data.get());
        std::atomic<bool> stop{false};
        std::atomic<int> bad{0};
        std::vector<std::thread> ts;
        for (int i = 0; i < 3; ++i)
            ts.emplace_back([&] {
                while (!stop.load(std::memory_order_relaxed)) {
                    auto g = r.enter();
                    if (g && g->load() != 42) bad++;
                }
            });
        r.revoke();
        r.drain();
        data->store(-1);  // "free": any reader still inside would see it
        data.reset();
        stop = true;
        for (auto& t : ts) t.join();
        EXPECT_EQ(bad, 0);
    }
}

// A reader that arrives after the revoke holds nothing the drain must wait
// for, even while it still has its (null) guard: removal must not depend on
// how many threads keep calling, or on what they do after finding null.
TEST(Revocable, DrainDoesNotWaitForReadersThatFoundNull) {
    int x = 1;
    Revocable<int> r(&x);
    r.revoke();
    std::promise<void> holding;
    std::promise<void> drained;
    auto drained_f = drained.get_future();
    std::atomic<bool> drain_returned_while_held{false};
    std::thread late([&] {
        auto g = r.enter();  // after the revoke: null
        EXPECT_FALSE(g);
        EXPECT_FALSE(r.held_by_this_thread());
        holding.set_value();
        // Keep the guard until the drain is done (bounded: a broken build fails).
        drain_returned_while_held = drained_f.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    });
    holding.get_future().wait();
    r.drain();
    drained.set_value();
    late.join();
    EXPECT_TRUE(drain_returned_while_held);
}

// Readers that entered before the revoke are still waited for when many
// later readers keep entering and finding null around them.
TEST(Revocable, DrainWaitsForAnEarlyReaderAmidLateOnes) {
    int x = 1;
    Revocable<int> r(&x);
    std::promise<void> entered, leave;
    auto leave_f = leave.get_future().share();
    std::atomic<bool> left{false};
    std::thread early([&] {
        auto g = r.enter();
        EXPECT_TRUE(g);
        entered.set_value();
        leave_f.wait();
        left = true;
    });
    entered.get_future().wait();
    r.revoke();
    std::atomic<bool> stop{false};
    std::vector<std::thread> late;
    for (int i = 0; i < 4; ++i)
        late.emplace_back([&] {
            while (!stop.load(std::memory_order_relaxed)) {
                auto g = r.enter();
                EXPECT_FALSE(g);
            }
        });
    auto drained = std::async(std::launch::async, [&] {
        r.drain();
        return left.load();
    });
    // The drain cannot finish while the early reader is inside.
    EXPECT_EQ(drained.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
    leave.set_value();
    EXPECT_TRUE(drained.get());
    stop = true;
    for (auto& t : late) t.join();
    early.join();
}

}  // namespace
