// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <vector>

#include "cp2112_host.hpp"
#include "models/cp2112_model.hpp"

namespace usbio::models {
namespace {

using test::Host;
using Bytes = std::vector<uint8_t>;

TEST(Cp2112Features, Version) {
    Cp2112Model m;
    Host h(m);
    EXPECT_EQ(h.get_feature(0x05, 3), (Bytes{0x05, 0x0C, 0x02}));
    Cp2112Model v1({.device_version = 1});
    Host h1(v1);
    EXPECT_EQ(h1.get_feature(0x05, 3), (Bytes{0x05, 0x0C, 0x01}));
    EXPECT_FALSE(h.set_feature({0x05, 0x0C, 0x03}));  // read-only
}

TEST(Cp2112Features, SmbusConfigDefaults) {
    Cp2112Model m;
    Host h(m);
    // 100 kHz BE32, own address 0x02, auto-send 0, timeouts 0, SCL-low 0, retries 0.
    EXPECT_EQ(h.get_feature(0x06, 14), (Bytes{0x06, 0x00, 0x01, 0x86, 0xA0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(Cp2112Features, SmbusConfigRoundTrip) {
    Cp2112Model m;
    Host h(m);
    const Bytes config = {0x06, 0x00, 0x06, 0x1A, 0x80, 0x04, 0x01, 0x00, 0x64, 0x03, 0xE8, 0x01, 0x00, 0x05};
    ASSERT_TRUE(h.set_feature(config));
    EXPECT_EQ(h.get_feature(0x06, 14), config);
    const auto c = m.smbus_config();
    EXPECT_EQ(c.clock_hz, 400000u);
    EXPECT_TRUE(c.auto_send_read);
    EXPECT_EQ(c.write_timeout_ms, 100);
    EXPECT_EQ(c.read_timeout_ms, 1000);
    EXPECT_TRUE(c.scl_low_timeout);
    EXPECT_EQ(c.retry_limit, 5);
}

TEST(Cp2112Features, InvalidSmbusConfigStalls) {
    Cp2112Model m;
    Host h(m);
    const Bytes good = {0x06, 0x00, 0x01, 0x86, 0xA0, 0x02, 0, 0, 0, 0, 0, 0, 0, 1};
    EXPECT_FALSE(h.set_feature(Bytes(good.begin(), good.end() - 1)));  // short
    Bytes zero_clock = good;
    zero_clock[1] = zero_clock[2] = zero_clock[3] = zero_clock[4] = 0;
    EXPECT_FALSE(h.set_feature(zero_clock));
    Bytes long_timeout = good;
    long_timeout[7] = 0x03, long_timeout[8] = 0xE9;  // 1001 ms
    EXPECT_FALSE(h.set_feature(long_timeout));
    Bytes many_retries = good;
    many_retries[12] = 0x03, many_retries[13] = 0xE9;
    EXPECT_FALSE(h.set_feature(many_retries));
    Bytes bad_flag = good;
    bad_flag[6] = 2;
    EXPECT_FALSE(h.set_feature(bad_flag));
    // Nothing of it was applied.
    EXPECT_EQ(m.smbus_config().retry_limit, 0);
}

TEST(Cp2112Features, SetReportIdMustMatchWValue) {
    Cp2112Model m;
    usb::DeviceModel& d = m;
    const Bytes gpio = {0x02, 0xFF, 0xFF, 0x00, 0x00};
    EXPECT_TRUE(d.control({0x21, 0x09, 0x0306, 0, 5}, gpio).stall);
    EXPECT_TRUE(d.control({0x21, 0x09, 0x0302, 0, 0}, {}).stall);
    EXPECT_FALSE(d.control({0x21, 0x09, 0x0302, 0, 5}, gpio).stall);
}

TEST(Cp2112Features, GetOfSetOnlyReportsStalls) {
    Cp2112Model m;
    Host h(m);
    EXPECT_TRUE(h.get_feature_raw(0x01, 2).stall);
    EXPECT_TRUE(h.get_feature_raw(0x04, 3).stall);
    EXPECT_TRUE(h.get_feature_raw(0x30, 8).stall);
    EXPECT_FALSE(h.set_feature({0x03, 0xFF}));
    EXPECT_FALSE(h.set_feature({0x30, 0x00}));
}

TEST(Cp2112Features, GpioConfigRoundTrip) {
    Cp2112Model m;
    Host h(m);
    EXPECT_EQ(h.get_feature(0x02, 5), (Bytes{0x02, 0x00, 0x00, 0x00, 0x00}));
    ASSERT_TRUE(h.set_feature({0x02, 0x0F, 0x05, 0x01, 0x18}));
    EXPECT_EQ(h.get_feature(0x02, 5), (Bytes{0x02, 0x0F, 0x05, 0x01, 0x18}));
    EXPECT_FALSE(h.set_feature({0x02, 0x0F, 0x05, 0x01}));  // short
}

TEST(Cp2112Features, InputsFollowTheOutsideWorld) {
    Cp2112Model m;
    Host h(m);
    EXPECT_EQ(h.get_feature(0x03, 2), (Bytes{0x03, 0xFF}));  // pulled up
    m.set_input_level(3, 0);
    m.set_input_level(6, 0);
    EXPECT_EQ(h.get_feature(0x03, 2), (Bytes{0x03, 0xB7}));
    EXPECT_EQ(m.pin_level(3), 0);
    EXPECT_EQ(m.pin_level(4), 1);
    // Setting values of input pins changes nothing.
    ASSERT_TRUE(h.set_feature({0x04, 0x00, 0xFF}));
    EXPECT_EQ(h.get_feature(0x03, 2), (Bytes{0x03, 0xB7}));
}

TEST(Cp2112Features, PushPullOutputDrivesItsLatch) {
    Cp2112Model m;
    Host h(m);
    ASSERT_TRUE(h.set_feature({0x02, 0x01, 0x01, 0x00, 0x00}));  // GPIO0 push-pull output
    ASSERT_TRUE(h.set_feature({0x04, 0x00, 0x01}));
    EXPECT_EQ(m.pin_level(0), 0);
    m.set_input_level(0, 0);
    ASSERT_TRUE(h.set_feature({0x04, 0x01, 0x01}));
    EXPECT_EQ(m.pin_level(0), 1);  // drives high whatever is outside
    EXPECT_EQ(h.get_feature(0x03, 2)[1] & 0x01, 0x01);
}

TEST(Cp2112Features, OpenDrainOutputOnlyPullsLow) {
    Cp2112Model m;
    Host h(m);
    ASSERT_TRUE(h.set_feature({0x02, 0x02, 0x00, 0x00, 0x00}));  // GPIO1 open-drain output
    ASSERT_TRUE(h.set_feature({0x04, 0x00, 0x02}));
    EXPECT_EQ(m.pin_level(1), 0);
    ASSERT_TRUE(h.set_feature({0x04, 0x02, 0x02}));
    EXPECT_EQ(m.pin_level(1), 1);  // released: the pull-up wins
    m.set_input_level(1, 0);       // another device pulls the wire low
    EXPECT_EQ(m.pin_level(1), 0);
    EXPECT_EQ(h.get_feature(0x03, 2)[1] & 0x02, 0x00);
}

TEST(Cp2112Features, SetValuesHonoursTheMask) {
    Cp2112Model m;
    Host h(m);
    ASSERT_TRUE(h.set_feature({0x02, 0xFF, 0xFF, 0x00, 0x00}));
    ASSERT_TRUE(h.set_feature({0x04, 0x00, 0xFF}));
    ASSERT_TRUE(h.set_feature({0x04, 0xFF, 0x21}));
    EXPECT_EQ(h.get_feature(0x03, 2), (Bytes{0x03, 0x21}));
    EXPECT_FALSE(h.set_feature({0x04, 0xFF}));  // short
}

TEST(Cp2112Features, ResetRestoresRamDefaultsAndKeepsEeprom) {
    Cp2112Model m({.eeprom_write_cycle = std::chrono::microseconds(0)});
    Host h(m);
    h.write(0x50, {0x00, 0x00, 0x77});
    ASSERT_EQ(h.wait_done().s0, 0x02);
    ASSERT_TRUE(h.set_feature({0x02, 0xFF, 0xFF, 0x00, 0x00}));
    h.set_smbus({.clock_hz = 400000, .retry_limit = 3});
    h.read(0x48, 2);
    h.out({0x15, 0x01});  // leaves a report queued

    ASSERT_TRUE(h.set_feature({0x01, 0x01}));
    EXPECT_FALSE(h.in().has_value());
    EXPECT_EQ(h.get_feature(0x02, 5), (Bytes{0x02, 0, 0, 0, 0}));
    EXPECT_EQ(m.smbus_config().clock_hz, 100000u);
    EXPECT_EQ(m.smbus_config().retry_limit, 0);
    EXPECT_EQ(h.status().s0, 0x00);
    EXPECT_EQ(m.eeprom_contents()[0], 0x77);
    EXPECT_FALSE(h.set_feature({0x01}));  // short
}

TEST(Cp2112Features, PromReports) {
    Cp2112Model m({.serial = "XY7"});
    Host h(m);
    EXPECT_EQ(h.get_feature(0x20, 2), (Bytes{0x20, 0xFF}));
    // Byte 9: the fields of this report still programmable (all of them).
    EXPECT_EQ(h.get_feature(0x21, 10), (Bytes{0x21, 0xC4, 0x10, 0x90, 0xEA, 50, 0, 0, 0, 0x1F}));
    auto serial = h.get_feature(0x24, 63);
    ASSERT_EQ(serial.size(), 63u);
    EXPECT_EQ(serial[1], 2 + 2 * 3);
    EXPECT_EQ(serial[2], 0x03);
    EXPECT_EQ(serial[3], 'X');
    EXPECT_EQ(serial[5], 'Y');
    EXPECT_EQ(serial[7], '7');
    auto product = h.get_feature(0x23, 63);
    EXPECT_EQ(product[1], 2 + 2 * 30);
    EXPECT_EQ(product[3], 'C');
    EXPECT_EQ(h.get_feature(0x22, 63)[3], 'S');
    // Malformed writes stall (programming: cp2112_prom_test.cpp).
    EXPECT_FALSE(h.set_feature({0x21, 0xC4}));
    EXPECT_FALSE(h.set_feature({0x24, 0x40, 0x03}));  // claims more than fits
}

}  // namespace
}  // namespace usbio::models
