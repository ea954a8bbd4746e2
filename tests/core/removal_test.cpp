// SPDX-License-Identifier: Apache-2.0
// The removal contract of DESIGN.md, checked through the public API with a
// test driver: ENODEV after removal, bounded drain that waits for in-flight
// calls and only for them, removal from inside a call, handles racing removal.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "fake_driver.hpp"
#include "usbio/usbio.hpp"

using namespace usbio;
using test::I2cMode;

namespace {

constexpr auto kLong = std::chrono::seconds(10);

bool is_enodev(const Error& e) { return e.code == std::errc::no_such_device; }

// A 4-byte read on another thread, for a driver mode that blocks it.
std::future<Result<void>> read_in_background(I2cBus bus) {
    return std::async(std::launch::async, [bus]() mutable {
        uint8_t b[4];
        return bus.read(0x50, b);
    });
}

TEST(Removal, EveryCallAfterRemovalReturnsEnodev) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto chip = dev.gpio_chip().value();
    auto bus = dev.i2c_bus().value();
    auto req = chip.request_lines({"t", {{1, {Direction::output}}, {2, {}}}}).value();
    ASSERT_TRUE(req.set_value(1, 1));
    ASSERT_EQ(req.get_value(1).value(), 1);

    dev.remove();
    EXPECT_EQ(dev.state(), DeviceState::gone);
    EXPECT_EQ(st->destroyed, 1);
    EXPECT_EQ(st->abort_calls, 1);
    EXPECT_EQ(st->inside_at_destroy, 0);

    uint8_t b[2] = {};
    auto r1 = req.set_value(1, 0);
    ASSERT_FALSE(r1);
    EXPECT_TRUE(is_enodev(r1.error()));
    EXPECT_NE(r1.error().message.find("serial FAKE1"), std::string::npos) << r1.error().message;
    EXPECT_TRUE(is_enodev(req.get_values().error()));
    EXPECT_TRUE(is_enodev(chip.line_info(1).error()));
    EXPECT_TRUE(is_enodev(chip.request_lines({"t", {{3, {}}}}).error()));
    EXPECT_TRUE(is_enodev(bus.read(0x50, b).error()));
    EXPECT_TRUE(is_enodev(bus.read_word_data(0x50, 0).error()));
    EXPECT_TRUE(is_enodev(bus.bitrate().error()));
    EXPECT_TRUE(is_enodev(dev.gpio_chip().error()));
    EXPECT_TRUE(is_enodev(dev.i2c_bus().error()));
    EXPECT_TRUE(ctx.devices().empty());
    EXPECT_EQ(st->calls_after_destroy, 0);
    // Closing after removal touches only core.
    req.release();
    dev.remove();  // idempotent
    EXPECT_EQ(st->destroyed, 1);
}

TEST(Removal, AbortWakesBlockedCallWhichReturnsEnodev) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    st->mode = I2cMode::block_until_abort;
    auto blocked = read_in_background(dev.i2c_bus().value());
    ASSERT_TRUE(st->wait_blocked(1));
    dev.remove();  // must return: abort wakes the call, drain sees it leave
    auto r = blocked.get();
    ASSERT_FALSE(r);
    EXPECT_TRUE(is_enodev(r.error()));
    EXPECT_EQ(st->destroyed, 1);
    EXPECT_EQ(st->inside_at_destroy, 0);
}

// A driver need not know that the failure it saw was the unplug: a call that
// fails once removal has begun is reported as ENODEV, whatever the driver said.
TEST(Removal, CallCutOffByRemovalIsEnodevWhateverTheDriverSaw) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    st->mode = I2cMode::block_until_abort_eio;
    auto blocked = read_in_background(dev.i2c_bus().value());
    ASSERT_TRUE(st->wait_blocked(1));
    dev.remove();
    auto r = blocked.get();
    ASSERT_FALSE(r);
    EXPECT_TRUE(is_enodev(r.error())) << r.error().message;
    EXPECT_NE(r.error().message.find("device gone"), std::string::npos) << r.error().message;
}

TEST(Removal, DrainWaitsForCallsInsideAndOnlyForThem) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx, "A");
    auto [other, other_st] = test::add_fake(ctx, "B");
    st->mode = I2cMode::block_stubborn;  // a call that ignores abort: the drain must wait for it
    auto bus = dev.i2c_bus().value();
    auto call = std::async(std::launch::async, [bus]() mutable {
        uint8_t b[1];
        return bus.read(0x50, b);
    });
    ASSERT_TRUE(st->wait_blocked(1));
    auto removal = std::async(std::launch::async, [d = dev]() mutable { d.remove(); });
    ASSERT_TRUE(st->wait_aborted());

    // Removal is now waiting for the call inside. New calls fail at once...
    EXPECT_EQ(dev.state(), DeviceState::removing);
    uint8_t b[1];
    EXPECT_TRUE(is_enodev(bus.read(0x50, b).error()));
    auto chip = dev.gpio_chip();
    EXPECT_FALSE(chip);
    // ...another device is not held up...
    auto obus = other.i2c_bus().value();
    EXPECT_TRUE(obus.write(0x50, b));
    // ...and the driver is still alive for the call inside.
    EXPECT_EQ(st->destroyed, 0);

    st->release();
    EXPECT_TRUE(call.get());  // the call inside finished normally
    ASSERT_EQ(removal.wait_for(kLong), std::future_status::ready);
    EXPECT_EQ(st->destroyed, 1);
    EXPECT_EQ(st->inside_at_destroy, 0);
    EXPECT_EQ(other_st->destroyed, 0);
}

// Removal started from inside a call: synchronous remove() (which must not
// wait for its own call), request_remove(), or the driver reporting ENODEV.
// Each call returns ENODEV, the removal finishes once the call has left,
// and the driver is torn down once, with no call inside.
struct FromInside {
    I2cMode mode;
    const char* name;
};

void PrintTo(const FromInside& f, std::ostream* os) { *os << f.name; }

class RemovalFromInside : public ::testing::TestWithParam<FromInside> {};

TEST_P(RemovalFromInside, CallGetsEnodevAndRemovalFinishesWithoutDeadlock) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    st->mode = GetParam().mode;
    auto bus = dev.i2c_bus().value();
    uint8_t b[1];
    auto r = bus.read(0x50, b);
    ASSERT_FALSE(r);
    EXPECT_TRUE(is_enodev(r.error()));
    EXPECT_TRUE(dev.wait_gone(kLong));
    EXPECT_EQ(st->destroyed, 1);
    EXPECT_EQ(st->inside_at_destroy, 0);
}

INSTANTIATE_TEST_SUITE_P(Removal, RemovalFromInside,
                         ::testing::Values(FromInside{I2cMode::remove_inside, "SyncRemove"},
                                           FromInside{I2cMode::request_remove_inside, "RequestRemove"},
                                           FromInside{I2cMode::fail_enodev, "DriverReportsEnodev"}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Removal, ConcurrentRemovesTearDownOnce) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    std::vector<std::thread> ts;
    for (int i = 0; i < 4; ++i) ts.emplace_back([d = dev]() mutable { d.remove(); });
    for (int i = 0; i < 4; ++i) ts.emplace_back([l = st->link] { l.request_remove(); });
    for (auto& t : ts) t.join();
    EXPECT_TRUE(dev.wait_gone(kLong));
    EXPECT_EQ(st->destroyed, 1);
    EXPECT_EQ(st->abort_calls, 1);
}

TEST(Removal, ThreadsSharingAHandleWhileOneClosesAndOneIsBlocked) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto chip = dev.gpio_chip().value();
    auto req = chip.request_lines({"shared", {{0, {Direction::output}}, {1, {Direction::output}}}}).value();
    auto bus = dev.i2c_bus().value();
    st->mode = I2cMode::block_until_abort;

    auto blocked = std::async(std::launch::async, [bus]() mutable {
        uint8_t b[1];
        return bus.read(0x50, b);
    });
    ASSERT_TRUE(st->wait_blocked(1));
    std::atomic<bool> stop{false};
    std::atomic<int> bad{0};
    std::vector<std::thread> users;
    for (int i = 0; i < 3; ++i)
        users.emplace_back([&, req]() mutable {
            while (!stop) {
                auto r = req.set_value(0, 1);
                if (!r && r.error().code != std::errc::no_such_device &&
                    r.error().code != std::errc::bad_file_descriptor)
                    bad++;
            }
        });
    std::thread closer([req]() mutable { req.release(); });
    closer.join();
    auto removal = std::async(std::launch::async, [d = dev]() mutable { d.remove(); });
    EXPECT_TRUE(is_enodev(blocked.get().error()));
    ASSERT_EQ(removal.wait_for(kLong), std::future_status::ready);
    stop = true;
    for (auto& t : users) t.join();
    EXPECT_EQ(bad, 0);
    EXPECT_EQ(st->calls_after_destroy, 0);
    EXPECT_EQ(st->inside_at_destroy, 0);
    // The released lines are free again in core's bookkeeping even though
    // the device is gone (the request reports EBADF or ENODEV, never crashes).
    EXPECT_FALSE(req.set_value(0, 1));
}

TEST(Removal, HandleDestructionRacingRemoval) {
    for (int round = 0; round < 200; ++round) {
        Context ctx;
        auto [dev, st] = test::add_fake(ctx);
        auto chip = std::make_unique<GpioChip>(dev.gpio_chip().value());
        auto req = std::make_unique<LineRequest>(chip->request_lines({"r", {{2, {Direction::output}}}}).value());
        auto bus = std::make_unique<I2cBus>(dev.i2c_bus().value());
        std::thread a([&] {
            req.reset();
            chip.reset();
            bus.reset();
        });
        std::thread b([d = dev]() mutable { d.remove(); });
        a.join();
        b.join();
        ASSERT_EQ(st->destroyed, 1);
        ASSERT_EQ(st->calls_after_destroy, 0);
    }
}

TEST(Removal, HandlesOutliveTheContext) {
    std::optional<Context> ctx(std::in_place);
    auto [dev, st] = test::add_fake(*ctx);
    auto bus = dev.i2c_bus().value();
    auto req = dev.gpio_chip().value().request_lines({"x", {{0, {}}}}).value();
    ctx.reset();  // removes every device
    EXPECT_EQ(st->destroyed, 1);
    uint8_t b[1];
    EXPECT_TRUE(is_enodev(bus.read(0x50, b).error()));
    EXPECT_TRUE(is_enodev(req.get_value(0).error()));
}

TEST(Removal, ConsumersAreRemovedBeforeTheirSupplier) {
    Context ctx;
    auto [supplier, sst] = test::add_fake(ctx, "SUP");
    // A consumer device that sits on the supplier (an expander on its bus).
    auto cst = std::make_shared<test::FakeState>();
    auto drv = std::make_unique<test::FakeDriver>(cst);
    DeviceInfo info;
    info.driver = "fake-expander";
    info.serial = "CON";
    driver::DeviceSlot slot(ctx);
    driver::DeviceBuilder b(slot, info);
    b.add_i2c_bus({"con", 8, 8, 8, true, 1, 1}, *drv);
    b.depends_on(supplier);
    auto consumer = b.publish(std::move(drv));
    ASSERT_TRUE(consumer.ok()) << consumer.error().message;
    std::vector<std::string> order;
    std::mutex mu;
    auto sub = ctx.subscribe([&](const Event& e) {
        if (e.type == Event::Type::removed) {
            std::lock_guard lk(mu);
            order.push_back(e.device.serial);
        }
    });
    supplier.remove();
    EXPECT_EQ(consumer->state(), DeviceState::gone);
    EXPECT_EQ(cst->destroyed, 1);
    ASSERT_EQ(order.size(), 2u);
    EXPECT_EQ(order[0], "CON");
    EXPECT_EQ(order[1], "SUP");
}

}  // namespace
