// SPDX-License-Identifier: Apache-2.0
// Core's own behaviour in the gpio and i2c subsystems: argument checks,
// line bookkeeping, active-low, and messages that name adapter and line.
#include <gtest/gtest.h>

#include "fake_driver.hpp"
#include "usbio/usbio.hpp"

using namespace usbio;

namespace {

TEST(Gpio, LineRequestsAreExclusiveUntilReleased) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto chip = dev.gpio_chip().value();
    EXPECT_EQ(chip.info().num_lines, 8u);
    auto a = chip.request_lines({"first", {{3, {Direction::output}}}}).value();
    auto b = chip.request_lines({"second", {{3, {}}}});
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().code, std::errc::device_or_resource_busy);
    EXPECT_NE(b.error().message.find("line 3 (A3)"), std::string::npos) << b.error().message;
    EXPECT_NE(b.error().message.find("first"), std::string::npos);
    auto info = chip.line_info(3).value();
    EXPECT_TRUE(info.used);
    EXPECT_EQ(info.consumer, "first");
    EXPECT_EQ(info.direction, Direction::output);
    a.release();
    EXPECT_FALSE(chip.line_info(3).value().used);
    EXPECT_TRUE(chip.request_lines({"second", {{3, {}}}}));
}

TEST(Gpio, BadOffsetsAreRejectedWithTheLineNamed) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto chip = dev.gpio_chip().value();
    auto r = chip.request_lines({"x", {{8, {}}}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::invalid_argument);
    EXPECT_NE(r.error().message.find("no line 8"), std::string::npos) << r.error().message;
    EXPECT_EQ(chip.request_lines({"x", {{1, {}}, {1, {}}}}).error().code, std::errc::invalid_argument);
    EXPECT_EQ(chip.request_lines({"x", {}}).error().code, std::errc::invalid_argument);
    EXPECT_EQ(chip.line_info(9).error().code, std::errc::invalid_argument);
    EXPECT_EQ(chip.find_line("A5"), 5u);
    EXPECT_FALSE(chip.find_line("nope"));
}

TEST(Gpio, ActiveLowInvertsValuesBothWays) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto chip = dev.gpio_chip().value();
    LineSettings s{Direction::output, Drive::push_pull, true, true};  // logical 1 = physical low
    auto req = chip.request_lines({"al", {{4, s}, {5, {Direction::output}}}}).value();
    EXPECT_EQ(req.get_value(4).value(), 1);
    EXPECT_EQ(req.get_values().value(), (std::vector<int>{1, 0}));
    ASSERT_TRUE(req.set_values({0, 1}));
    EXPECT_EQ(req.get_values().value(), (std::vector<int>{0, 1}));
    // The physical level seen by a second, active-high request of line 4 after release.
    req.release();
    auto raw = chip.request_lines({"raw", {{4, {}}}}).value();
    EXPECT_EQ(raw.get_value(4).value(), 1);  // logical 0 with active-low = physical high
}

TEST(Gpio, InputsCannotBeSetAndReleasedRequestsSayEbadf) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto req = dev.gpio_chip().value().request_lines({"in", {{0, {}}}}).value();
    EXPECT_EQ(req.set_value(0, 1).error().code, std::errc::operation_not_permitted);
    EXPECT_EQ(req.get_value(7).error().code, std::errc::invalid_argument);
    req.release();
    EXPECT_EQ(req.get_value(0).error().code, std::errc::bad_file_descriptor);
}

// A released output request drives nothing any more: every call on it says
// EBADF and the pin keeps the level it had (another request may own it).
TEST(Gpio, ReleasedOutputRequestRefusesEveryCallWithEbadf) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto chip = dev.gpio_chip().value();
    auto req = chip.request_lines({"out", {{2, {Direction::output}}, {3, {Direction::output}}}}).value();
    ASSERT_TRUE(req.set_values({1, 0}));
    req.release();
    auto one = req.set_value(2, 0);
    ASSERT_FALSE(one);
    EXPECT_EQ(one.code(), std::errc::bad_file_descriptor);
    EXPECT_NE(one.error().message.find("released"), std::string::npos) << one.error().message;
    EXPECT_EQ(req.set_values({0, 1}).code(), std::errc::bad_file_descriptor);
    EXPECT_EQ(req.get_values().code(), std::errc::bad_file_descriptor);
    EXPECT_EQ(req.get_value(3).code(), std::errc::bad_file_descriptor);
    // The pins were not touched after the release.
    auto probe = chip.request_lines({"probe", {{2, {}}, {3, {}}}}).value();
    EXPECT_EQ(probe.get_values().value(), (std::vector<int>{1, 0}));
}

TEST(I2c, AddressesAndLengthsAreCheckedBeforeTheDriver) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto bus = dev.i2c_bus().value();
    uint8_t b[65] = {};
    auto r = bus.write(0x80, {b, 1});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::invalid_argument);
    EXPECT_NE(r.error().message.find("0x80"), std::string::npos) << r.error().message;
    EXPECT_EQ(bus.write(0x50, {b, 65}).error().code, std::errc::invalid_argument);
    EXPECT_EQ(bus.read(0x50, {b, 65}).error().code, std::errc::invalid_argument);
    EXPECT_EQ(bus.write_read(0x50, {b, 17}, {b, 1}).error().code, std::errc::invalid_argument);
    EXPECT_TRUE(bus.write_read(0x50, {b, 16}, {b, 64}));
    EXPECT_EQ(bus.set_bitrate(1000000).error().code, std::errc::invalid_argument);
    EXPECT_TRUE(bus.set_bitrate(400000));
    EXPECT_EQ(bus.bitrate().value(), 400000u);
}

TEST(I2c, DriverErrorsKeepTheirCodeAndNameTheAddress) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto bus = dev.i2c_bus().value();
    auto r = bus.read_byte(0x51);  // the fake only answers at 0x50
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::no_such_device_or_address);
    EXPECT_NE(r.error().message.find("0x51"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("serial FAKE1"), std::string::npos);
    EXPECT_THROW(r.value(), usbio::Exception);
}

TEST(I2c, SmbusHelpersUseSmbusByteOrder) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto bus = dev.i2c_bus().value();
    // The fake echoes written bytes back from offset 0: write [cmd, lo, hi]
    // then read 2 bytes back after a 1-byte write of cmd (which overwrites
    // byte 0 with cmd).
    ASSERT_TRUE(bus.write_word_data(0x50, 0x07, 0xBEEF));
    auto w = bus.read_word_data(0x50, 0x07);
    ASSERT_TRUE(w);
    EXPECT_EQ(w.value(), 0xEF07);  // byte0 = cmd (overwritten), byte1 = 0xEF (low byte written second)
    // Block read: count byte first; the fake returns cmd as count.
    ASSERT_TRUE(bus.write(0x50, std::vector<uint8_t>{3, 0xA, 0xB, 0xC}));
    auto blk = bus.read_block_data(0x50, 3);
    ASSERT_TRUE(blk);
    EXPECT_EQ(blk.value(), (std::vector<uint8_t>{0xA, 0xB, 0xC}));
    // A count that does not fit is a protocol error, not an overrun.
    ASSERT_TRUE(bus.write(0x50, std::vector<uint8_t>{40}));
    EXPECT_EQ(bus.read_block_data(0x50, 40).error().code, std::errc::protocol_error);
    EXPECT_EQ(bus.write_block_data(0x50, 1, std::vector<uint8_t>(33)).error().code, std::errc::invalid_argument);
}

TEST(Context, FindsDevicesByIndexSerialPathAndSaysWhatItTried) {
    Context ctx;
    auto [a, sa] = test::add_fake(ctx, "S1");
    auto [b, sb] = test::add_fake(ctx, "S2");
    EXPECT_EQ(ctx.find("1").value().info().serial, "S2");
    EXPECT_EQ(ctx.find("S1").value().info().serial, "S1");
    EXPECT_EQ(ctx.find("fake:S2").value().info().serial, "S2");
    auto r = ctx.find("7");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::no_such_device);
    EXPECT_NE(r.error().message.find("index 7"), std::string::npos);
    EXPECT_NE(ctx.find("zzz").error().message.find("serial"), std::string::npos);
    a.remove();
    EXPECT_EQ(ctx.find("0").value().info().serial, "S2");  // indexes follow present devices
}

}  // namespace
