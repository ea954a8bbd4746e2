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

}  // namespace
