// SPDX-License-Identifier: Apache-2.0
// The driver's exchange lock: taken in the order asked for, so a thread
// calling in a tight loop cannot starve one that waits; abort() sends every
// waiter away.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "usbio/driver/abortable_mutex.hpp"

namespace usbio::test {
namespace {

using driver::AbortableMutex;
using Clock = std::chrono::steady_clock;

// Bounded: true once `m` has `n` threads waiting.
bool until_waiting(AbortableMutex& m, uint64_t n) {
    const auto end = Clock::now() + std::chrono::seconds(10);
    while (m.waiting() != n)
        if (Clock::now() > end)
            return false;
        else
            std::this_thread::yield();
    return true;
}

TEST(AbortableMutex, AWaiterGetsTheLockBeforeABusyLoopTakesItAgain) {
    AbortableMutex m;
    std::atomic<int> loops{0};
    std::atomic<int> seen_by_waiter{-1};
    auto first = std::make_unique<AbortableMutex::Lock>(m);
    std::thread waiter([&] {
        AbortableMutex::Lock l(m);
        ASSERT_TRUE(l);
        seen_by_waiter = loops.load();
    });
    ASSERT_TRUE(until_waiting(m, 1));
    first.reset();
    // The loop asks again at once, as a busy caller does: the waiter asked
    // first and goes first.
    for (int i = 0; i < 2000; ++i) {
        AbortableMutex::Lock l(m);
        ASSERT_TRUE(l);
        ++loops;
    }
    waiter.join();
    EXPECT_EQ(seen_by_waiter.load(), 0);
}

TEST(AbortableMutex, AbortSendsEveryWaiterAwayAndRefusesLaterCallers) {
    AbortableMutex m;
    auto held = std::make_unique<AbortableMutex::Lock>(m);
    std::atomic<int> refused{0};
    std::thread a([&] { refused += AbortableMutex::Lock(m) ? 0 : 1; });
    std::thread b([&] { refused += AbortableMutex::Lock(m) ? 0 : 1; });
    ASSERT_TRUE(until_waiting(m, 2));
    m.abort();
    a.join();
    b.join();
    EXPECT_EQ(refused.load(), 2);
    held.reset();  // the holder keeps it until it leaves
    EXPECT_FALSE(AbortableMutex::Lock(m));
}

}  // namespace
}  // namespace usbio::test
