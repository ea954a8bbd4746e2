// SPDX-License-Identifier: Apache-2.0
// I2cBus::set_ack_check / ack_check through core: the mode reaches the
// driver, an adapter with at_end only refuses the others naming itself,
// and every call after removal is ENODEV without entering the driver.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <thread>

#include "fake_driver.hpp"
#include "usbio/usbio.hpp"

using namespace usbio;
using test::I2cMode;

namespace {

constexpr AckCheck kModes[] = {AckCheck::at_end, AckCheck::after_address, AckCheck::each_byte};

bool is_enodev(const Error& e) { return e.code == std::errc::no_such_device; }

// A fake whose bus has every mode (an MPSSE-like adapter).
std::pair<Device, std::shared_ptr<test::FakeState>> add_checking_fake(Context& ctx) {
    auto st = std::make_shared<test::FakeState>();
    st->all_ack_checks = true;
    driver::DeviceSlot slot(ctx);
    st->link = slot.link();
    auto dev = test::publish_fake(slot, st, "ACK1");
    if (!dev) std::abort();
    return {*dev, st};
}

TEST(I2cAckCheck, ModesHaveTheirNames) {
    EXPECT_STREQ(to_string(AckCheck::at_end), "at_end");
    EXPECT_STREQ(to_string(AckCheck::after_address), "after_address");
    EXPECT_STREQ(to_string(AckCheck::each_byte), "each_byte");
}

TEST(I2cAckCheck, AdapterThatStopsOnANackHasOnlyAtEnd) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto bus = dev.i2c_bus().value();
    EXPECT_FALSE(bus.info().ack_check_modes);
    EXPECT_EQ(bus.ack_check().value(), AckCheck::at_end);
    EXPECT_TRUE(bus.set_ack_check(AckCheck::at_end));
    for (AckCheck mode : {AckCheck::after_address, AckCheck::each_byte}) {
        auto r = bus.set_ack_check(mode);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, std::errc::operation_not_supported);
        EXPECT_NE(r.error().message.find("serial FAKE1"), std::string::npos) << r.error().message;
        EXPECT_NE(r.error().message.find(to_string(mode)), std::string::npos) << r.error().message;
        EXPECT_NE(r.error().message.find("at_end is its only mode"), std::string::npos) << r.error().message;
        EXPECT_EQ(bus.ack_check().value(), AckCheck::at_end);
    }
    // Refusing a mode leaves the bus working.
    uint8_t b[2] = {};
    EXPECT_TRUE(bus.read(0x50, b));
}

TEST(I2cAckCheck, ModeReachesTheDriverAndIsSharedByHandles) {
    Context ctx;
    auto [dev, st] = add_checking_fake(ctx);
    auto bus = dev.i2c_bus().value();
    auto other = dev.i2c_bus().value();
    EXPECT_TRUE(bus.info().ack_check_modes);
    EXPECT_EQ(bus.ack_check().value(), AckCheck::at_end);
    for (AckCheck mode : kModes) {
        ASSERT_TRUE(bus.set_ack_check(mode));
        EXPECT_EQ(bus.ack_check().value(), mode);
        EXPECT_EQ(other.ack_check().value(), mode) << "the mode is the bus's, not the handle's";
    }
}

TEST(I2cAckCheck, UnknownModeIsEinval) {
    Context ctx;
    auto [dev, st] = add_checking_fake(ctx);
    auto bus = dev.i2c_bus().value();
    auto r = bus.set_ack_check(static_cast<AckCheck>(7));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::invalid_argument);
    EXPECT_EQ(bus.ack_check().value(), AckCheck::at_end);
}

TEST(I2cAckCheck, AfterRemovalEveryCallIsEnodevAndStaysInCore) {
    Context ctx;
    auto [dev, st] = add_checking_fake(ctx);
    auto bus = dev.i2c_bus().value();
    ASSERT_TRUE(bus.set_ack_check(AckCheck::each_byte));
    dev.remove();
    ASSERT_EQ(st->destroyed, 1);
    for (AckCheck mode : kModes) {
        auto r = bus.set_ack_check(mode);
        ASSERT_FALSE(r);
        EXPECT_TRUE(is_enodev(r.error())) << r.error().message;
    }
    auto g = bus.ack_check();
    ASSERT_FALSE(g);
    EXPECT_TRUE(is_enodev(g.error()));
    EXPECT_TRUE(is_enodev(I2cBus().set_ack_check(AckCheck::at_end).error()));
    EXPECT_TRUE(is_enodev(I2cBus().ack_check().error()));
    EXPECT_EQ(st->calls_after_destroy, 0);
}

// Threads changing and reading the mode while a transfer is parked in the
// driver and the adapter is removed: each ends with ENODEV, nothing else,
// and no call is inside the driver at teardown.
TEST(I2cAckCheck, CallsRacingRemovalEndWithEnodev) {
    Context ctx;
    auto [dev, st] = add_checking_fake(ctx);
    auto bus = dev.i2c_bus().value();
    st->mode = I2cMode::block_until_abort;
    auto parked = std::async(std::launch::async, [bus]() mutable {
        uint8_t b[4];
        return bus.read(0x50, b);
    });
    ASSERT_TRUE(st->wait_blocked(1));

    constexpr int kThreads = 3;
    std::latch started(kThreads);
    std::vector<std::future<Error>> loops;
    for (int t = 0; t < kThreads; ++t) {
        loops.push_back(std::async(std::launch::async, [bus, t, &started]() mutable {
            started.count_down();
            // Bounded: removal comes within a few thousand rounds at most.
            for (long i = 0; i < 50'000'000; ++i) {
                const AckCheck mode = kModes[(i + t) % 3];
                if (auto r = bus.set_ack_check(mode); !r) return r.error();
                if (auto g = bus.ack_check(); !g) return g.error();
            }
            return make_error(ETIMEDOUT, "removal never reached this thread");
        }));
    }
    started.wait();
    dev.remove();
    auto r = parked.get();
    ASSERT_FALSE(r);
    EXPECT_TRUE(is_enodev(r.error()));
    for (auto& f : loops) {
        const Error e = f.get();
        EXPECT_TRUE(is_enodev(e)) << e.message;
    }
    EXPECT_EQ(st->inside_at_destroy, 0);
    EXPECT_EQ(st->calls_after_destroy, 0);
}

}  // namespace
