// SPDX-License-Identifier: Apache-2.0
// The FTDI driver's GPIO against the chip model: lines, drives, read-back,
// and isolation between GPIO and I2C in both directions.
#include <gtest/gtest.h>

#include "ftdi_rig.hpp"

namespace usbio::test {
namespace {

using driver::GpioLineConfig;
using models::FtdiKind;

GpioLineConfig out(bool value, Drive drive = Drive::push_pull) { return {Direction::output, drive, value, {}}; }
GpioLineConfig in() { return {Direction::input, Drive::push_pull, false, {}}; }

bool pin(const FtdiRig& r, unsigned n) { return (r.model->pin_levels(r.port) >> n) & 1; }

TEST(FtdiGpio, LinesAreNamedAfterThePins) {
    FtdiRig r;
    EXPECT_EQ(r.chip->num_lines(), 13u);
    EXPECT_EQ(ftdi::Chip::line_name(0), "ADBUS3");
    EXPECT_EQ(ftdi::Chip::line_name(4), "ADBUS7");
    EXPECT_EQ(ftdi::Chip::line_name(5), "ACBUS0");
    EXPECT_EQ(ftdi::Chip::line_name(12), "ACBUS7");
    FtdiRig q(FtdiKind::ft4232h, 1);
    EXPECT_EQ(q.chip->num_lines(), 5u);
    EXPECT_EQ(q.chip->configure(5, out(true)), errc(EINVAL));
}

TEST(FtdiGpio, OutputsDriveBothBytes) {
    FtdiRig r;
    ASSERT_FALSE(r.chip->configure(0, out(true)));
    ASSERT_FALSE(r.chip->configure(5, out(false)));
    ASSERT_FALSE(r.chip->configure(12, out(true)));
    EXPECT_TRUE(pin(r, 3));
    EXPECT_FALSE(pin(r, 8));
    EXPECT_TRUE(pin(r, 15));
    ASSERT_FALSE(r.chip->set((1u << 0) | (1u << 5), 1u << 5));
    EXPECT_FALSE(pin(r, 3));
    EXPECT_TRUE(pin(r, 8));
    uint64_t levels = 0;
    ASSERT_FALSE(r.chip->get(0x1FFF, levels));
    EXPECT_EQ(levels & ((1u << 0) | (1u << 5) | (1u << 12)), (1u << 5) | (1u << 12));
    GpioLineConfig cfg;
    ASSERT_FALSE(r.chip->get_config(5, cfg));
    EXPECT_EQ(cfg.direction, Direction::output);
    EXPECT_TRUE(cfg.value);
}

TEST(FtdiGpio, InputsReadWhatTheWorldDrives) {
    FtdiRig r;
    ASSERT_FALSE(r.chip->configure(2, in()));
    ASSERT_FALSE(r.chip->configure(9, in()));
    r.model->set_external(0, 5, 0);
    r.model->set_external(0, 12, 1);
    uint64_t levels = 0;
    ASSERT_FALSE(r.chip->get((1u << 2) | (1u << 9), levels));
    EXPECT_EQ(levels, 1u << 9);
    r.model->set_external(0, 5, 1);
    r.model->set_external(0, 12, 0);
    ASSERT_FALSE(r.chip->get((1u << 2) | (1u << 9), levels));
    EXPECT_EQ(levels, 1u << 2);
    GpioLineConfig cfg;
    ASSERT_FALSE(r.chip->get_config(2, cfg));
    EXPECT_EQ(cfg.direction, Direction::input);
    EXPECT_TRUE(cfg.value);
}

TEST(FtdiGpio, OpenDrainReleasesForHighAndDrivesLow) {
    FtdiRig r;
    ASSERT_FALSE(r.chip->configure(1, out(true, Drive::open_drain)));  // ADBUS4
    EXPECT_TRUE(pin(r, 4)) << "released: pulled up";
    r.model->set_external(0, 4, 0);
    EXPECT_FALSE(pin(r, 4)) << "released: another driver wins";
    ASSERT_FALSE(r.chip->set(1u << 1, 0));
    r.model->set_external(0, 4, -1);
    EXPECT_FALSE(pin(r, 4)) << "driven low";
    GpioLineConfig cfg;
    ASSERT_FALSE(r.chip->get_config(1, cfg));
    EXPECT_EQ(cfg.drive, Drive::open_drain);
    EXPECT_FALSE(cfg.value);
    EXPECT_EQ(r.chip->configure(1, {Direction::output, Drive::open_source, true, {}}), errc(EOPNOTSUPP));
}

TEST(FtdiGpio, GpioWritesNeverTouchTheI2cPins) {
    for (auto kind : {FtdiKind::ft232h, FtdiKind::ft2232h}) {
        FtdiRig r(kind);
        const unsigned starts = r.model->starts(0), stops = r.model->stops(0);
        for (unsigned i = 0; i < 20; ++i) {
            ASSERT_FALSE(r.chip->configure(i % 13, out(i & 1)));
            EXPECT_EQ(r.model->pin_levels(0) & 0x07, 0x07) << "I2C pins idle after GPIO write " << i;
        }
        ASSERT_FALSE(r.chip->set(0x1FFF, 0x0AAA));
        EXPECT_EQ(r.model->starts(0), starts);
        EXPECT_EQ(r.model->stops(0), stops);
        EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
    }
}

TEST(FtdiGpio, I2cTransfersNeverTouchTheGpioPins) {
    FtdiRig r;
    ASSERT_FALSE(r.chip->configure(0, out(true)));
    ASSERT_FALSE(r.chip->configure(4, out(false)));
    ASSERT_FALSE(r.chip->configure(7, out(true)));
    ASSERT_FALSE(r.chip->configure(3, out(true, Drive::open_drain)));
    const uint64_t changes = r.model->gpio_changes(0);
    Bytes got;
    ASSERT_FALSE(r.write_read(0x50, {0, 0}, 600, got));
    ASSERT_FALSE(r.write(0x50, {0, 0, 1, 2, 3}));
    EXPECT_EQ(r.write(0x22, {1}), errc(ENXIO));
    ASSERT_FALSE(r.chip->recover());
    EXPECT_EQ(r.model->gpio_changes(0), changes) << "a GPIO pin changed during I2C";
    EXPECT_TRUE(pin(r, 3));
    EXPECT_FALSE(pin(r, 7));
    EXPECT_TRUE(pin(r, 10));
    EXPECT_TRUE(pin(r, 6));
}

TEST(FtdiGpio, UnplugMidOperationIsEnodev) {
    for (uint64_t k = 1; k <= 2; ++k) {
        FtdiRig r;
        r.transport->unplug_at_transfer(k);
        uint64_t levels = 0;
        // get is one OUT and one IN: the unplug lands on one of them.
        EXPECT_EQ(r.chip->get(1, levels), errc(ENODEV)) << "at transfer " << k;
        EXPECT_EQ(r.chip->configure(0, out(true)), errc(ENODEV));
        Bytes got;
        EXPECT_EQ(r.read(0x50, 1, got), errc(ENODEV));
    }
}

TEST(FtdiGpio, AbortWakesAndRefusesEveryCall) {
    FtdiRig r;
    r.chip->abort_io();
    uint64_t levels = 0;
    EXPECT_EQ(r.chip->get(1, levels), errc(ENODEV));
    EXPECT_EQ(r.chip->set(1, 1), errc(ENODEV));
    Bytes got;
    EXPECT_EQ(r.read(0x50, 1, got), errc(ENODEV));
    EXPECT_EQ(r.chip->recover(), errc(ENODEV));
}

}  // namespace
}  // namespace usbio::test
