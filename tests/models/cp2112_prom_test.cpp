// SPDX-License-Identifier: Apache-2.0
// The CP2112 model's one-time programmable PROM (reports 0x20..0x24) and
// the special functions of report 0x02, as a host sees them on endpoint 0.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cp2112_host.hpp"
#include "models/cp2112_model.hpp"

namespace usbio::models {
namespace {

using test::Host;
using Bytes = std::vector<uint8_t>;

Bytes string_report(uint8_t id, const std::string& text) {
    Bytes r = {id, uint8_t(2 + 2 * text.size()), 0x03};
    for (char c : text) r.insert(r.end(), {uint8_t(c), 0x00});
    return r;
}

TEST(Cp2112Prom, UsbConfigProgramsOnlyTheMaskedFieldsOnce) {
    Cp2112Model m;
    Host h(m);
    // Mask 0x03: VID and PID; the power byte (0x7F) is not selected.
    EXPECT_TRUE(h.set_feature({0x21, 0x34, 0x12, 0x78, 0x56, 0x7F, 0x01, 0x02, 0x03, 0x03}));
    EXPECT_EQ(h.get_feature(0x21, 10), (Bytes{0x21, 0x34, 0x12, 0x78, 0x56, 50, 0, 0, 0, 0x1C}));
    EXPECT_EQ(h.get_feature(0x20, 2), (Bytes{0x20, 0xFC}));
    // A second write to a programmed field is ignored without a stall, as
    // the chip does; the power field, still free, takes its value.
    EXPECT_TRUE(h.set_feature({0x21, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x00, 0x07}));
    EXPECT_EQ(h.get_feature(0x21, 10), (Bytes{0x21, 0x34, 0x12, 0x78, 0x56, 0x7F, 0, 0, 0, 0x18}));
    EXPECT_EQ(m.prom().lock, 0xF8);
}

TEST(Cp2112Prom, StringProgramsOnceThenIsLocked) {
    Cp2112Model m({.serial = "0001"});
    Host h(m);
    EXPECT_TRUE(h.set_feature(string_report(0x24, "NEW42")));
    auto r = h.get_feature(0x24, 63);
    ASSERT_EQ(r.size(), 63u);
    EXPECT_EQ(Bytes(r.begin(), r.begin() + 13), string_report(0x24, "NEW42"));
    EXPECT_EQ(h.get_feature(0x20, 2), (Bytes{0x20, 0x7F}));
    EXPECT_TRUE(h.set_feature(string_report(0x24, "OTHER")));
    EXPECT_EQ(m.prom().serial, "NEW42");
    // The other strings are still free.
    EXPECT_TRUE(h.set_feature(string_report(0x23, "Widget")));
    EXPECT_EQ(m.prom().product, "Widget");
}

TEST(Cp2112Prom, LockByteBitsOnlyClear) {
    Cp2112Model m;
    Host h(m);
    EXPECT_TRUE(h.set_feature({0x20, 0xFE}));  // lock the VID
    EXPECT_TRUE(h.set_feature({0x20, 0xFF}));  // cannot unlock
    EXPECT_EQ(h.get_feature(0x20, 2), (Bytes{0x20, 0xFE}));
    EXPECT_TRUE(h.set_feature({0x21, 0x34, 0x12, 0, 0, 0, 0, 0, 0, 0x01}));
    EXPECT_EQ(m.prom().vid, 0x10C4);  // locked before it was programmed
}

TEST(Cp2112Prom, SurvivesResetAndMalformedWritesStall) {
    Cp2112Model m;
    Host h(m);
    EXPECT_TRUE(h.set_feature(string_report(0x22, "Acme")));
    EXPECT_TRUE(h.set_feature({0x01, 0x01}));  // Reset Device
    EXPECT_EQ(m.prom().manufacturer, "Acme");
    EXPECT_FALSE(h.set_feature({0x20}));
    EXPECT_FALSE(h.set_feature({0x23, 0x05, 0x03, 'A', 0, 'B'}));  // odd length
    EXPECT_FALSE(h.set_feature({0x23, 0x40, 0x03}));               // longer than 30 characters
    EXPECT_EQ(m.prom().lock, 0xDF);
}

TEST(Cp2112SpecialFunctions, LedPinIgnoresTheLatchAndShowsItsIdleLevel) {
    Cp2112Model m;
    Host h(m);
    // GPIO.0 and GPIO.2 push-pull outputs; TX LED on GPIO.0.
    ASSERT_TRUE(h.set_feature({0x02, 0x05, 0x05, 0x02, 0x00}));
    EXPECT_TRUE(h.set_feature({0x04, 0x00, 0x05}));  // both latches low
    EXPECT_EQ(m.pin_level(0), 1);                    // the LED pin is not the latch's
    EXPECT_EQ(m.pin_level(2), 0);
    // Special function off: the pin is a GPIO again, and its latch was kept.
    ASSERT_TRUE(h.set_feature({0x02, 0x05, 0x05, 0x00, 0x00}));
    EXPECT_EQ(m.pin_level(0), 1);
    EXPECT_TRUE(h.set_feature({0x04, 0x00, 0x01}));
    EXPECT_EQ(m.pin_level(0), 0);
}

TEST(Cp2112SpecialFunctions, ClockDividerReadsBack) {
    Cp2112Model m;
    Host h(m);
    ASSERT_TRUE(h.set_feature({0x02, 0x80, 0x80, 0x01, 0x18}));
    EXPECT_EQ(h.get_feature(0x02, 5), (Bytes{0x02, 0x80, 0x80, 0x01, 0x18}));
    EXPECT_EQ(m.pin_level(7), 1);
}

}  // namespace
}  // namespace usbio::models
