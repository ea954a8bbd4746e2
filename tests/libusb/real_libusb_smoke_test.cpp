// SPDX-License-Identifier: Apache-2.0
// usbio::usb::attach on this machine's real libusb. Build machines have no
// adapters and often no /dev/bus/usb at all: attach then fails cleanly
// (ENODEV, saying why) or finds nothing; with adapters plugged in it lists
// them. Either way nothing crashes and the Host ends cleanly.
#include <gtest/gtest.h>

#include <algorithm>

#include "usbio/usb.hpp"
#include "usbio/usbio.hpp"

namespace usbio::test {
namespace {

bool supported(uint16_t vid, uint16_t pid) {
    const auto chips = usb::supported_chips();
    return std::any_of(chips.begin(), chips.end(), [&](const auto& c) { return c.vid == vid && c.pid == pid; });
}

TEST(RealLibusb, AttachListsSupportedAdaptersOrNone) {
    Context ctx;
    auto host = usb::attach(ctx);
    if (!host.ok()) {
        // libusb cannot start here (no usbfs): that is "no real adapters".
        EXPECT_EQ(host.code(), std::error_code(ENODEV, std::generic_category()));
        EXPECT_NE(host.error().message.find("libusb"), std::string::npos) << host.error().message;
        EXPECT_TRUE(ctx.devices().empty());
        return;
    }
    EXPECT_NE((*host)->watch(), usb::Watch::none);
    for (const auto& d : ctx.devices()) {
        EXPECT_FALSE(d.info().simulated);
        EXPECT_TRUE(supported(d.info().vid, d.info().pid)) << d.info().display_name();
        std::printf("bound: %s (%s)\n", d.info().display_name().c_str(), d.info().path.c_str());
    }
    for (const auto& u : (*host)->unbound()) {
        EXPECT_TRUE(supported(u.vid, u.pid)) << u.reason.message;
        EXPECT_FALSE(u.reason.message.empty());
        std::printf("unbound: %s\n", u.reason.message.c_str());
    }
    EXPECT_TRUE((*host)->settle(std::chrono::seconds(10)));
    host = make_error(0, "");  // destroys the Host: its devices are removed
    EXPECT_TRUE(ctx.devices().empty());
}

TEST(RealLibusb, SupportedChipsMatchTheDriverTable) {
    const auto chips = usb::supported_chips();
    ASSERT_GE(chips.size(), 4u);
    EXPECT_EQ(chips[0].chip, "cp2112");
    EXPECT_EQ(chips[0].vid, 0x10C4);
    EXPECT_EQ(chips[0].pid, 0xEA90);
    EXPECT_TRUE(chips[0].has_driver);
    for (const auto& c : chips) {
        EXPECT_FALSE(c.interfaces.empty()) << c.chip;
        if (c.driver == "ftdi") {
            EXPECT_TRUE(c.has_driver) << c.chip;
        }
    }
}

}  // namespace
}  // namespace usbio::test
