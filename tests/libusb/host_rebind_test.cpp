// SPDX-License-Identifier: Apache-2.0
// A device that stays on the bus while its interfaces go and come back
// (authorized=0 then 1 in sysfs), or that could not be opened at first
// (udev's permissions not yet applied, another program holding it): the
// host binds it again without a re-plug. A probe that failed is not retried.
#include <array>
#include <future>

#include <gtest/gtest.h>

#include "host_fixture.hpp"

namespace usbio::test {
namespace {

usb::Options fast_retry() {
    usb::Options o;
    o.poll_interval = 20ms;
    return o;
}

TEST_F(HostTest, DeauthorisedThenAuthorisedIsBoundAgain) {
    auto model = cp2112_model();
    auto* dev = fake->plug(cp2112_spec(model, {2}));
    start(fast_retry());
    ASSERT_EQ(host->watch(), usb::Watch::hotplug);
    auto ev = ctx->events();
    Device old = ctx->find("1-2").value();
    auto old_bus = old.i2c_bus().value();

    // The driver finds the device gone; libusb reports no departure.
    fake->deauthorize(dev, LIBUSB_TRANSFER_ERROR);
    ASSERT_TRUE(next_of(ev, Event::Type::removed));
    EXPECT_TRUE(old.wait_gone(kWait));
    std::array<uint8_t, 1> b{};
    EXPECT_EQ(old_bus.read(0x50, b).code(), errc(ENODEV));

    // While it has no configuration, tries to bind it fail and say why.
    ASSERT_TRUE(fake->wait_logged("claim 0", 1));
    ASSERT_TRUE(fake->wait_logged("open", 2));
    ASSERT_TRUE(host->settle(kWait));
    EXPECT_TRUE(ctx->devices().empty());
    auto u = host->unbound();
    ASSERT_EQ(u.size(), 1u);
    EXPECT_EQ(u[0].path, "1-2");
    EXPECT_EQ(u[0].reason.code, errc(ENOENT));
    EXPECT_NE(u[0].reason.message.find("cp2112 [1-2]: interface 0 is not there: the device is not configured"),
              std::string::npos)
        << u[0].reason.message;

    fake->authorize(dev);
    auto arrived = next_of(ev, Event::Type::arrived);
    ASSERT_TRUE(arrived);
    EXPECT_EQ(arrived->device.path, "1-2");
    Device fresh = ctx->find("1-2").value();
    EXPECT_FALSE(fresh == old);
    auto bus = fresh.i2c_bus().value();
    std::array<uint8_t, 2> addr{0x00, 0x00};
    std::array<uint8_t, 4> got{};
    auto r = bus.write_read(0x50, addr, got);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(old_bus.read(0x50, b).code(), errc(ENODEV));  // old handles stay dead
    ASSERT_TRUE(host->settle(kWait));
    EXPECT_TRUE(host->unbound().empty());

    // A real unplug afterwards still ends it for good.
    fake->unplug(dev);
    ASSERT_TRUE(next_of(ev, Event::Type::removed));
    ASSERT_TRUE(host->settle(kWait));
    EXPECT_TRUE(ctx->devices().empty());
    EXPECT_TRUE(host->unbound().empty());
}

// The driver itself sees the device gone (a call in flight ends with
// ENODEV) and core removes it before the transport's own departure report
// has run on the event thread; the transport is torn down meanwhile and
// that report never comes. libusb reports nothing either. The host must
// still look again once core has removed the device.
TEST_F(HostTest, RemovedBeforeTheTransportReportsIsBoundAgain) {
    auto model = cp2112_model();
    auto* dev = fake->plug(cp2112_spec(model, {2}));
    start(fast_retry());
    ASSERT_EQ(host->watch(), usb::Watch::hotplug);
    ASSERT_TRUE(host->settle(kWait));  // the worker is idle: nothing to retry
    auto ev = ctx->events();
    Device old = ctx->find("1-2").value();
    auto old_bus = old.i2c_bus().value();

    // The event thread stalls, so it runs the transport's departure report
    // only after core removed the device on the caller's ENODEV. The
    // caller handles its own events meanwhile.
    fake->stall_event_thread();
    ASSERT_TRUE(fake->wait_events_stalled());
    // A read whose first report the device holds; it ends with NO_DEVICE.
    fake->hold_model(dev, true);
    auto reader = std::async(std::launch::async, [&] {
        std::array<uint8_t, 4> b{};
        return old_bus.read(0x50, b).code();
    });
    ASSERT_TRUE(fake->wait_for([](const libusb_transfer* x) {
        return x->type == LIBUSB_TRANSFER_TYPE_INTERRUPT && (x->endpoint & LIBUSB_ENDPOINT_IN) == 0;
    }));
    fake->deauthorize(dev, LIBUSB_TRANSFER_NO_DEVICE);
    EXPECT_EQ(reader.get(), errc(ENODEV));
    EXPECT_TRUE(old.wait_gone(kWait));
    fake->resume_events();
    fake->hold_model(dev, false);

    fake->authorize(dev);
    auto arrived = next_of(ev, Event::Type::arrived);
    ASSERT_TRUE(arrived) << "not bound again; " << (host->unbound().empty() ? "nothing unbound" : "unbound");
    EXPECT_EQ(arrived->device.path, "1-2");
    Device fresh = ctx->find("1-2").value();
    EXPECT_FALSE(fresh == old);
    std::array<uint8_t, 2> addr{0x00, 0x00};
    std::array<uint8_t, 4> got{};
    auto r = fresh.i2c_bus().value().write_read(0x50, addr, got);
    EXPECT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE(host->settle(kWait));
    EXPECT_TRUE(host->unbound().empty());
}

TEST_F(HostTest, PermissionOrBusyThatPassesIsBoundWithoutReplug) {
    auto* denied = fake->plug(cp2112_spec(cp2112_model("A"), {2}));
    fake->set_open_error(denied, LIBUSB_ERROR_ACCESS);
    auto* busy = fake->plug(cp2112_spec(cp2112_model("B"), {3}));
    fake->set_claim_error(busy, LIBUSB_ERROR_BUSY);
    start(fast_retry());
    auto ev = ctx->events();
    EXPECT_EQ(host->unbound().size(), 2u);

    fake->set_open_error(denied, 0);  // udev applied the rules
    auto a = next_of(ev, Event::Type::arrived);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->device.serial, "A");
    fake->set_claim_error(busy, 0);  // the other program let go
    auto b = next_of(ev, Event::Type::arrived);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->device.serial, "B");
    ASSERT_TRUE(host->settle(kWait));
    EXPECT_TRUE(host->unbound().empty());
    EXPECT_EQ(ctx->devices().size(), 2u);
}

TEST_F(HostTest, FailedProbeIsNotRetried) {
    auto* dev = fake->plug(testchip_spec());
    fake->hotplug_capable = false;  // polling: settle() re-enumerates
    start(fast_retry(), {refusing_testchip()});
    ASSERT_EQ(host->watch(), usb::Watch::polling);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(host->settle(kWait));
    const auto log = fake->log();
    EXPECT_EQ(std::count(log.begin(), log.end(), "detach 0"), 1);  // the kernel driver was disturbed once
    EXPECT_TRUE(fake->kernel_driver_bound(dev, 0));
    ASSERT_EQ(host->unbound().size(), 1u);
    EXPECT_EQ(host->unbound()[0].reason.code, errc(EPROTO));
}

}  // namespace
}  // namespace usbio::test
