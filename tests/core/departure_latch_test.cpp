// SPDX-License-Identifier: Apache-2.0
// The latch between a transport's departure report and the device link a
// probe returns: a report before the link is kept and acted on once the
// link is set; one after removes at once; whoever else listens hears each.
#include <gtest/gtest.h>

#include <atomic>

#include "fake_driver.hpp"
#include "usbio/driver/departure_latch.hpp"
#include "usbio/usbio.hpp"

using namespace usbio;

namespace {

constexpr auto kLong = std::chrono::seconds(10);

TEST(DepartureLatch, ReportBeforeTheLinkRemovesOnceTheLinkIsSet) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    driver::DepartureLatch latch;
    latch.report();
    EXPECT_TRUE(dev.present());  // nothing to remove yet
    latch.set_link(st->link);
    EXPECT_TRUE(dev.wait_gone(kLong));
    EXPECT_EQ(st->destroyed, 1);
}

TEST(DepartureLatch, ReportAfterTheLinkRemovesAndIsNoticed) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    std::atomic<int> noticed{0};
    driver::DepartureLatch latch([&] { noticed++; });
    latch.set_link(st->link);
    EXPECT_TRUE(dev.present());  // a link alone removes nothing
    latch.report();
    EXPECT_TRUE(dev.wait_gone(kLong));
    latch.report();  // a second report (the host and the transport both saw it)
    EXPECT_EQ(noticed.load(), 2);
    EXPECT_EQ(st->destroyed, 1);
}

}  // namespace
