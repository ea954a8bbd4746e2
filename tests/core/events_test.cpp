// SPDX-License-Identifier: Apache-2.0
// Arrival and removal notifications: callbacks and the pollable stream.
#include <gtest/gtest.h>
#include <poll.h>

#include "fake_driver.hpp"
#include "usbio/usbio.hpp"

using namespace usbio;

namespace {

TEST(Events, StreamIsPollableAndCarriesArrivalThenRemoval) {
    Context ctx;
    auto stream = ctx.events();
    ASSERT_GE(stream.fd(), 0);
    pollfd p{stream.fd(), POLLIN, 0};
    EXPECT_EQ(::poll(&p, 1, 0), 0);  // nothing yet

    auto [dev, st] = test::add_fake(ctx, "EV1");
    ASSERT_EQ(::poll(&p, 1, 10000), 1);
    auto e = stream.try_next();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->type, Event::Type::arrived);
    EXPECT_EQ(e->device.serial, "EV1");
    EXPECT_EQ(::poll(&p, 1, 0), 0);  // drained

    dev.remove();
    e = stream.next(std::chrono::seconds(10));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->type, Event::Type::removed);
    EXPECT_EQ(e->device.serial, "EV1");
    EXPECT_FALSE(stream.try_next());
}

TEST(Events, RemovedFiresOncePerDeviceWhateverStartsIt) {
    Context ctx;
    std::atomic<int> removed{0};
    auto sub = ctx.subscribe([&](const Event& e) {
        if (e.type == Event::Type::removed) removed++;
    });
    auto [dev, st] = test::add_fake(ctx);
    st->link.request_remove();
    dev.remove();
    st->link.remove();
    ctx.settle();
    EXPECT_EQ(removed, 1);
    EXPECT_EQ(st->destroyed, 1);
}

TEST(Events, RemovedIsDeliveredAfterTeardown) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    int destroyed_seen = -1;
    auto sub = ctx.subscribe([&, s = st](const Event& e) {
        if (e.type == Event::Type::removed) destroyed_seen = s->destroyed;
    });
    dev.remove();
    EXPECT_EQ(destroyed_seen, 1);
}

TEST(Events, UnsubscribedCallbackIsNotCalled) {
    Context ctx;
    int calls = 0;
    auto sub = ctx.subscribe([&](const Event&) { calls++; });
    sub.reset();
    auto [dev, st] = test::add_fake(ctx);
    dev.remove();
    EXPECT_EQ(calls, 0);
}

TEST(Events, ContextDestructionRemovesDevicesAndNotifiesStreams) {
    std::optional<Context> ctx(std::in_place);
    auto stream = ctx->events();
    auto [dev, st] = test::add_fake(*ctx);
    ctx.reset();
    EXPECT_EQ(stream.try_next()->type, Event::Type::arrived);
    auto e = stream.try_next();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->type, Event::Type::removed);
}

}  // namespace
