// SPDX-License-Identifier: Apache-2.0
// A device's core record exists before its driver probes (the slot), so a
// departure reported before, during or after probing reaches that one
// record: before publishing, the device never appears; after, it is
// removed as any unplug is; racing with publishing, it either never
// appears or appears and is then removed, and its driver is freed once.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "fake_driver.hpp"
#include "usbio/usbio.hpp"

using namespace usbio;

namespace {

constexpr auto kLong = std::chrono::seconds(10);

std::error_code errc(int e) { return {e, std::generic_category()}; }

struct Counts {
    std::atomic<int> arrived{0};
    std::atomic<int> removed{0};
};

// A context that counts its arrival and removal events, and one fake
// driver's state.
class DeviceSlotTest : public ::testing::Test {
protected:
    Context ctx;
    Counts n;
    Subscription sub = ctx.subscribe([this](const Event& e) {
        if (e.type == Event::Type::arrived) n.arrived++;
        if (e.type == Event::Type::removed) n.removed++;
    });
    std::shared_ptr<test::FakeState> st = std::make_shared<test::FakeState>();
};

TEST_F(DeviceSlotTest, DepartureBeforePublishMeansTheDeviceNeverAppears) {
    driver::DeviceSlot slot(ctx);
    slot.link().request_remove();  // the transport saw the unplug mid-probe
    EXPECT_TRUE(slot.departed());
    auto dev = test::publish_fake(slot, st, "EARLY");
    ASSERT_FALSE(dev.ok());
    EXPECT_EQ(dev.code(), errc(ENODEV));
    EXPECT_NE(dev.error().message.find("unplugged while being probed"), std::string::npos) << dev.error().message;
    EXPECT_EQ(st->destroyed, 1);  // the driver let go of the adapter
    EXPECT_EQ(st->abort_calls, 0);
    EXPECT_TRUE(slot.link().gone());
    EXPECT_TRUE(ctx.devices().empty());
    ctx.settle();
    EXPECT_EQ(n.arrived, 0);
    EXPECT_EQ(n.removed, 0);
}

TEST_F(DeviceSlotTest, SynchronousRemoveBeforePublishOnlyMarksTheSlot) {
    driver::DeviceSlot slot(ctx);
    EXPECT_FALSE(slot.departed());
    EXPECT_TRUE(slot.link().alive());
    slot.link().remove();  // nothing to wait for: returns at once
    EXPECT_TRUE(slot.departed());
    EXPECT_EQ(test::publish_fake(slot, st).code(), errc(ENODEV));
}

TEST_F(DeviceSlotTest, DepartureAfterPublishRemovesTheDevice) {
    driver::DeviceSlot slot(ctx);
    const driver::DeviceLink link = slot.link();
    auto dev = test::publish_fake(slot, st, "LATE");
    ASSERT_TRUE(dev.ok()) << dev.error().message;
    EXPECT_TRUE(dev->present());
    EXPECT_FALSE(slot.departed());
    auto chip = dev->gpio_chip().value();
    link.request_remove();
    EXPECT_TRUE(dev->wait_gone(kLong));
    EXPECT_TRUE(slot.departed());
    EXPECT_EQ(chip.line_info(0).code(), errc(ENODEV));
    ctx.settle();
    EXPECT_EQ(n.arrived, 1);
    EXPECT_EQ(n.removed, 1);
    EXPECT_EQ(st->destroyed, 1);
}

TEST_F(DeviceSlotTest, ASlotNeverPublishedLeavesNothingBehind) {
    driver::DeviceLink link;
    {
        driver::DeviceSlot slot(ctx);
        link = slot.link();
    }  // the probe failed: the slot goes with it
    EXPECT_TRUE(link.gone());
    link.request_remove();  // a late report from the transport is harmless
    link.remove();
    EXPECT_TRUE(ctx.devices().empty());
}

// A report that arrives while publish() announces the device (here from
// the arrival callback itself) removes the device it announced.
TEST_F(DeviceSlotTest, DepartureWhilePublishingRemovesTheAnnouncedDevice) {
    driver::DeviceSlot slot(ctx);
    auto on_arrival = ctx.subscribe([link = slot.link()](const Event& e) {
        if (e.type == Event::Type::arrived) link.request_remove();
    });
    auto dev = test::publish_fake(slot, st, "MIDWAY");
    ASSERT_TRUE(dev.ok()) << dev.error().message;
    EXPECT_TRUE(dev->wait_gone(kLong));
    EXPECT_TRUE(slot.departed());
    ctx.settle();
    EXPECT_EQ(n.arrived, 1);
    EXPECT_EQ(n.removed, 1);
    EXPECT_EQ(st->destroyed, 1);
    EXPECT_TRUE(ctx.devices().empty());
}

// The report races with publish(): whichever wins, the device either never
// appears or appears and is removed, with one arrival per removal and the
// driver freed exactly once, and nothing is left registered.
TEST_F(DeviceSlotTest, DepartureRacingPublishNeverLeavesADeviceBehind) {
    int refused = 0;
    constexpr int kRounds = 200;
    for (int i = 0; i < kRounds; ++i) {
        st = std::make_shared<test::FakeState>();
        driver::DeviceSlot slot(ctx);
        std::latch go(2);
        // The reporter starts later each round (a spin, for timing spread
        // only) so that the report falls before, inside and after publish().
        std::thread reporter([&go, link = slot.link(), spin = (i % 50) * 400] {
            go.arrive_and_wait();
            std::atomic<int> spun{0};
            while (spun.fetch_add(1, std::memory_order_relaxed) < spin) {
            }
            link.request_remove();
        });
        go.arrive_and_wait();
        auto dev = test::publish_fake(slot, st, "RACE" + std::to_string(i));
        reporter.join();
        if (dev.ok()) {
            EXPECT_TRUE(dev->wait_gone(kLong)) << "round " << i;
        } else {
            EXPECT_EQ(dev.code(), errc(ENODEV));
            ++refused;
        }
        ctx.settle();
        EXPECT_EQ(st->destroyed, 1) << "round " << i;
        EXPECT_EQ(st->calls_after_destroy, 0);
        ASSERT_TRUE(ctx.devices().empty()) << "round " << i;
    }
    EXPECT_EQ(n.arrived.load(), n.removed.load());
    EXPECT_EQ(n.arrived.load() + refused, kRounds);
    RecordProperty("refused_rounds", refused);  // how the race fell, for the record
}

}  // namespace
