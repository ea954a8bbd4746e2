// SPDX-License-Identifier: Apache-2.0
// Pulling the adapter's cable while threads are inside an expander's line
// set and edge wait: both calls end with ENODEV, promptly, and (under ASan
// and TSan) nothing touches freed memory.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "expander_rig.hpp"
#include "watchdog.hpp"

namespace usbio::test {
namespace {

using namespace std::chrono_literals;

// Counts successes of a looping thread so the test can wait for it to be
// busy before pulling the cable.
struct Progress {
    void tick() {
        std::lock_guard lk(mu);
        ++n;
        cv.notify_all();
    }
    bool wait_for(unsigned count) {
        std::unique_lock lk(mu);
        return cv.wait_for(lk, 5s, [&] { return n >= count; });
    }
    std::mutex mu;
    std::condition_variable cv;
    unsigned n = 0;
};

void unplug_while_busy(const drivers::ClientEntry& entry, std::string_view type, uint16_t addr) {
    Watchdog dog(60s);
    Rig rig;
    auto d = rig.bind(entry, type, addr);
    ASSERT_TRUE(d.ok()) << d.error().message;
    GpioChip chip = d->gpio_chip().value();
    RequestConfig rc;
    rc.consumer = "unplug";
    rc.lines = {line(0, Direction::output, true), line(1, Direction::input, false, Edge::both)};
    rc.edge_poll_period = 1ms;
    auto req = chip.request_lines(rc);
    ASSERT_TRUE(req.ok()) << req.error().message;
    LineRequest r = req.value();

    Progress sets;
    std::error_code set_error, wait_error;
    std::thread setter([&] {
        for (int v = 0;; v ^= 1) {
            auto s = r.set_value(0, v);
            if (!s) {
                set_error = s.code();
                return;
            }
            sets.tick();
        }
    });
    std::thread waiter([&] {
        for (;;) {
            auto ev = r.wait_edge_events(10s);
            if (!ev) {
                wait_error = ev.code();
                return;
            }
        }
    });
    ASSERT_TRUE(sets.wait_for(5));
    rig.adapter->unplug();
    setter.join();
    waiter.join();
    EXPECT_EQ(set_error, errc(ENODEV));
    EXPECT_EQ(wait_error, errc(ENODEV));
    EXPECT_EQ(r.set_value(0, 1).code(), errc(ENODEV));
    EXPECT_EQ(r.get_value(1).code(), errc(ENODEV));
}

TEST(ExpanderUnplug, Pca9555SetAndEdgeWaitEndWithEnodev) {
    unplug_while_busy(pca953x::pca953x_entry(), "pca9555", 0x20);
}

TEST(ExpanderUnplug, Pcf8574SetAndEdgeWaitEndWithEnodev) {
    unplug_while_busy(pcf857x::pcf857x_entry(), "pcf8574", 0x38);
}

}  // namespace
}  // namespace usbio::test
