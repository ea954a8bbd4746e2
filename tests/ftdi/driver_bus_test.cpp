// SPDX-License-Identifier: Apache-2.0
// The FTDI driver keeping the bus usable: a chip that stops answering, and
// targets that stretch the clock, with and without adaptive clocking.
#include <gtest/gtest.h>

#include "ftdi_rig.hpp"
#include "models/eeprom_24cxx.hpp"
#include "models/i2c_stretcher.hpp"

namespace usbio::test {
namespace {

using models::FtdiKind;

constexpr uint8_t kStretcher = 0x52;

std::shared_ptr<models::Eeprom24cxx> quick_eeprom() {
    models::Eeprom24cxxConfig config;
    config.write_cycle = std::chrono::microseconds(0);
    return std::make_shared<models::Eeprom24cxx>(config);
}

bool any_mentions(const std::vector<std::string>& v, const std::string& what) {
    for (const auto& s : v)
        if (s.find(what) != std::string::npos) return true;
    return false;
}

TEST(FtdiDriverBus, TransferTheChipDoesNotAnswerTimesOutAndTheNextOneWorks) {
    FtdiRig r;
    r.model->eeprom(0)->set_contents(0, Bytes{0x12, 0x34, 0x56});
    r.model->lose_next_reply(0);
    Bytes got;
    EXPECT_EQ(r.write_read(0x50, {0, 0}, 3, got), errc(ETIMEDOUT));
    // Purged, resynchronised, and the bus left idle (SCL, SDA high).
    EXPECT_EQ(r.model->pin_levels(0) & 0x07, 0x07);
    ASSERT_FALSE(r.write_read(0x50, {0, 1}, 2, got));
    EXPECT_EQ(got, (Bytes{0x34, 0x56}));
    EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
}

TEST(FtdiDriverBus, ClockStretchingWaitsForTheTarget) {
    for (auto kind : {FtdiKind::ft232h, FtdiKind::ft2232h}) {
        FtdiRig r(kind);
        auto mem = quick_eeprom();
        r.model->bus(0)->attach(kStretcher, std::make_shared<models::ClockStretcher>(mem, 25));
        ASSERT_FALSE(r.chip->set_clock_stretching(true));
        EXPECT_TRUE(r.chip->clock_stretching());
        EXPECT_TRUE(r.model->adaptive(0));
        ASSERT_FALSE(r.write(kStretcher, {0x00, 0x20, 0xC3, 0x3C, 0xA5}));
        Bytes got;
        ASSERT_FALSE(r.write_read(kStretcher, {0x00, 0x20}, 3, got));
        EXPECT_EQ(got, (Bytes{0xC3, 0x3C, 0xA5})) << "kind " << int(kind);
        EXPECT_EQ(r.model->stretches_waited(0), 3u) << "one stretch before each byte read";
        EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
        // Off again: the chip no longer waits.
        ASSERT_FALSE(r.chip->set_clock_stretching(false));
        EXPECT_FALSE(r.model->adaptive(0));
    }
}

TEST(FtdiDriverBus, WithoutStretchingAStretchingTargetCorruptsTheRead) {
    FtdiRig r(FtdiKind::ft2232h);
    auto mem = quick_eeprom();
    mem->set_contents(0x20, Bytes{0xC3, 0x3C, 0xA5});
    r.model->bus(0)->attach(kStretcher, std::make_shared<models::ClockStretcher>(mem, 4));
    Bytes got;
    const auto ec = r.write_read(kStretcher, {0x00, 0x20}, 3, got);
    EXPECT_TRUE(ec || got != Bytes({0xC3, 0x3C, 0xA5})) << "a stretched read went through unharmed";
    EXPECT_TRUE(any_mentions(r.violations(), "clock stretching")) << joined(r.violations());
    // Recovery frees the bus; with stretching on the read is right.
    r.model->clear_violations(0);
    EXPECT_FALSE(r.chip->recover());
    ASSERT_FALSE(r.chip->set_clock_stretching(true));
    ASSERT_FALSE(r.write_read(kStretcher, {0x00, 0x20}, 3, got));
    EXPECT_EQ(got, (Bytes{0xC3, 0x3C, 0xA5}));
}

TEST(FtdiDriverBus, Ft4232hHasNoAdaptiveClocking) {
    FtdiRig r(FtdiKind::ft4232h, 1);
    EXPECT_EQ(r.chip->set_clock_stretching(true), errc(EOPNOTSUPP));
    EXPECT_FALSE(r.chip->clock_stretching());
    EXPECT_FALSE(r.model->adaptive(1));
    Bytes got;
    EXPECT_FALSE(r.read(0x50, 1, got)) << "the port still works";
    EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
}

TEST(FtdiDriverBus, StretchingTakesAdbus7FromGpio) {
    FtdiRig r;
    const unsigned ad7 = ftdi::Chip::kRtckLine;
    ASSERT_EQ(ftdi::Chip::line_name(ad7), "ADBUS7");
    driver::GpioLineConfig out;
    out.direction = Direction::output;
    out.value = true;
    ASSERT_FALSE(r.chip->configure(ad7, out));
    ASSERT_FALSE(r.chip->set_clock_stretching(true));
    // AD7 let go before the engine watches it: no fight, and it reads SCL.
    EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
    driver::GpioLineConfig cfg;
    ASSERT_FALSE(r.chip->get_config(ad7, cfg));
    EXPECT_EQ(cfg.function, ftdi::Chip::kRtckFunction);
    EXPECT_EQ(cfg.direction, Direction::input);
    EXPECT_EQ(r.chip->configure(ad7, out), errc(EBUSY));
    EXPECT_FALSE(r.chip->configure(ad7 - 1, out)) << "ADBUS6 stays a GPIO line";
    Bytes got;
    EXPECT_FALSE(r.read(0x50, 1, got));
    EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
    ASSERT_FALSE(r.chip->set_clock_stretching(false));
    ASSERT_FALSE(r.chip->get_config(ad7, cfg));
    EXPECT_EQ(cfg.function, "");
    EXPECT_FALSE(r.chip->configure(ad7, out));
}

}  // namespace
}  // namespace usbio::test
