// SPDX-License-Identifier: Apache-2.0
// A simulated FT232H through the public API: attach, the device it
// publishes, I2C and GPIO as an application sees them.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "usbio/usbio.hpp"

namespace usbio {
namespace {

class Ft232hSim : public ::testing::Test {
protected:
    void SetUp() override {
        auto a = sim::attach(ctx, "FT232H");
        ASSERT_TRUE(a.ok()) << a.error().message;
        adapter = a.value();
        auto d = ctx.find(adapter->serial());
        ASSERT_TRUE(d.ok()) << d.error().message;
        dev = d.value();
        gpio = dev.gpio_chip().value();
        bus = dev.i2c_bus().value();
    }

    Context ctx;
    std::shared_ptr<sim::Adapter> adapter;
    Device dev;
    GpioChip gpio;
    I2cBus bus;
};

TEST_F(Ft232hSim, IsListedAndDescribed) {
    const auto chips = sim::supported_chips();
    EXPECT_NE(std::find(chips.begin(), chips.end(), "ft232h"), chips.end());
    EXPECT_EQ(adapter->chip(), "ft232h");
    EXPECT_EQ(dev.info().vid, 0x0403);
    EXPECT_EQ(dev.info().pid, 0x6014);
    EXPECT_EQ(dev.info().driver, "ftdi");
    EXPECT_EQ(gpio.info().num_lines, 13u);
    EXPECT_EQ(gpio.info().name, "ft232h-" + adapter->serial());
    EXPECT_EQ(gpio.find_line("ADBUS3"), 0u);
    EXPECT_EQ(gpio.find_line("ACBUS7"), 12u);
    EXPECT_TRUE(bus.info().ten_bit);
    EXPECT_TRUE(bus.info().repeated_start);
    EXPECT_EQ(bus.bitrate().value(), 100'000u);
}

TEST_F(Ft232hSim, EepromAndSensorOverI2c) {
    adapter->set_temperature_millicelsius(21'500);
    EXPECT_EQ(bus.read_word_data(0x48, 0x00).value(), 0x8015);  // 21.5 degC, bytes swapped by SMBus
    const uint8_t w[] = {0x00, 0x30, 0xCA, 0xFE};
    ASSERT_TRUE(bus.write(0x50, w).ok());
    uint8_t r[2] = {};
    const uint8_t a[] = {0x00, 0x30};
    // The EEPROM does not ACK while it programs the page (a few ms).
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    auto rr = bus.write_read(0x50, a, r);
    while (!rr.ok() && rr.code() == std::errc::no_such_device_or_address && std::chrono::steady_clock::now() < end)
        rr = bus.write_read(0x50, a, r);
    ASSERT_TRUE(rr.ok()) << rr.error().message;
    EXPECT_EQ(r[0], 0xCA);
    EXPECT_EQ(r[1], 0xFE);
    EXPECT_EQ(adapter->eeprom_contents()[0x31], 0xFE);
    const auto nack = bus.read_byte(0x23);
    EXPECT_EQ(nack.code(), std::errc::no_such_device_or_address);
    EXPECT_NE(nack.error().message.find("address 0x23 not acknowledged"), std::string::npos) << nack.error().message;
    I2cMsg quick{0x48, 0, {}};
    EXPECT_TRUE(bus.transfer({&quick, 1}).ok());
}

TEST_F(Ft232hSim, TenBitNeedsTheFlag) {
    uint8_t b[1];
    EXPECT_EQ(bus.read(0x2A5, b).code(), std::errc::invalid_argument);
    I2cMsg m{0x2A5, I2cMsg::read | I2cMsg::ten_bit, b};
    EXPECT_EQ(bus.transfer({&m, 1}).code(), std::errc::no_such_device_or_address);  // nobody there
}

TEST_F(Ft232hSim, GpioThroughTheApi) {
    auto req = gpio.request_lines({"t", {{0, {Direction::output, Drive::push_pull, false, true}}, {6, {}}}});
    ASSERT_TRUE(req.ok()) << req.error().message;
    EXPECT_EQ(adapter->pin_level(0), 1);
    adapter->set_input_level(6, 0);
    EXPECT_EQ(req->get_values().value()[1], 0);
    ASSERT_TRUE(req->set_value(0, 0).ok());
    EXPECT_EQ(adapter->pin_level(0), 0);
}

TEST_F(Ft232hSim, EdgeEventsBySampling) {
    LineSettings in;
    in.edge = Edge::both;
    auto req = gpio.request_lines({"edges", {{7, in}}});  // ACBUS2
    ASSERT_TRUE(req.ok()) << req.error().message;
    adapter->set_input_level(7, 0);
    auto ev = req->wait_edge_events(std::chrono::seconds(5));
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    ASSERT_FALSE(ev->empty());
    EXPECT_EQ(ev->front().type, EdgeEvent::Type::falling);
    EXPECT_EQ(ev->front().offset, 7u);
}

TEST_F(Ft232hSim, UnplugEndsInEnodevAndReplugWorks) {
    adapter->unplug();
    ASSERT_TRUE(dev.wait_gone(std::chrono::seconds(10)));
    uint8_t b[1];
    EXPECT_EQ(bus.read(0x50, b).code(), std::errc::no_such_device);
    auto again = adapter->plug();
    ASSERT_TRUE(again.ok()) << again.error().message;
    auto bus2 = again->i2c_bus().value();
    EXPECT_TRUE(bus2.read(0x50, b).ok());
}

// USB transfers (bulk OUT and IN) per transfer in each ACK-check mode, set
// through the public API: at_end is one round trip (one OUT, one IN); each
// extra round is one more pair.
TEST_F(Ft232hSim, AckCheckModeSetsTheRoundTrips) {
    EXPECT_TRUE(bus.info().ack_check_modes);
    EXPECT_EQ(bus.ack_check().value(), AckCheck::at_end);
    std::vector<uint8_t> page(34, 0x5A);  // address word + 32 data bytes
    page[0] = 0x01;
    page[1] = 0x00;
    const uint8_t at[] = {0x01, 0x00};
    std::vector<uint8_t> got(256);
    struct Case {
        AckCheck mode;
        uint64_t write_transfers;
        uint64_t read_transfers;
    } cases[] = {{AckCheck::at_end, 2, 2}, {AckCheck::after_address, 4, 4}, {AckCheck::each_byte, 2 * 35, 2 * 5}};
    for (const auto& c : cases) {
        ASSERT_TRUE(bus.set_ack_check(c.mode).ok());
        EXPECT_EQ(bus.ack_check().value(), c.mode);
        // The EEPROM NACKs while it programs: wait for its write cycle
        // with a one-byte poll first, so the write is ACKed.
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (!bus.write(0x50, {at, 1}).ok() && std::chrono::steady_clock::now() < end) {
        }
        uint64_t before = adapter->transfer_count();
        ASSERT_TRUE(bus.write(0x50, page).ok()) << to_string(c.mode);
        EXPECT_EQ(adapter->transfer_count() - before, c.write_transfers) << to_string(c.mode);
        while (!bus.write(0x50, {at, 1}).ok() && std::chrono::steady_clock::now() < end) {
        }
        before = adapter->transfer_count();
        ASSERT_TRUE(bus.write_read(0x50, at, got).ok()) << to_string(c.mode);
        EXPECT_EQ(adapter->transfer_count() - before, c.read_transfers) << to_string(c.mode);
        EXPECT_TRUE(std::all_of(got.begin(), got.begin() + 32, [](uint8_t v) { return v == 0x5A; }));
    }
}

TEST_F(Ft232hSim, AckCheckAfterUnplugIsEnodev) {
    ASSERT_TRUE(bus.set_ack_check(AckCheck::each_byte).ok());
    adapter->unplug();
    ASSERT_TRUE(dev.wait_gone(std::chrono::seconds(10)));
    EXPECT_EQ(bus.set_ack_check(AckCheck::at_end).code(), std::errc::no_such_device);
    EXPECT_EQ(bus.ack_check().code(), std::errc::no_such_device);
    // A re-plugged chip is new hardware: back to at_end.
    auto again = adapter->plug();
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again->i2c_bus().value().ack_check().value(), AckCheck::at_end);
}

}  // namespace
}  // namespace usbio
