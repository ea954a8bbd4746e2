// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "models/lm75.hpp"

namespace usbio::models {
namespace {

constexpr uint8_t kAddr = 0x48;

struct Fixture {
    Fixture() : sensor(std::make_shared<Lm75>()) { bus.attach(kAddr, sensor); }
    std::vector<uint8_t> read_reg(uint8_t reg, std::size_t n) {
        const std::vector<uint8_t> ptr = {reg};
        auto o = bus.write_read(kAddr, ptr, n);
        EXPECT_EQ(o.result, I2cResult::ok);
        return o.data;
    }
    I2cBus bus;
    std::shared_ptr<Lm75> sensor;
};

TEST(Lm75, DefaultTemperatureIs25Degrees) {
    Fixture f;
    EXPECT_EQ(f.read_reg(0x00, 2), (std::vector<uint8_t>{0x19, 0x00}));
    EXPECT_EQ(f.sensor->temperature_millicelsius(), 25000);
}

TEST(Lm75, TemperatureEncodingHalfDegreeSteps) {
    EXPECT_EQ(Lm75::encode_millicelsius(25500), 0x1980);
    EXPECT_EQ(Lm75::encode_millicelsius(25499), 0x1900);
    EXPECT_EQ(Lm75::encode_millicelsius(0), 0x0000);
    EXPECT_EQ(Lm75::encode_millicelsius(-500), 0xFF80);
    EXPECT_EQ(Lm75::encode_millicelsius(-100), 0xFF80);  // rounds towards minus infinity
    EXPECT_EQ(Lm75::encode_millicelsius(-25000), 0xE700);
    EXPECT_EQ(Lm75::encode_millicelsius(-55000), 0xC900);
    EXPECT_EQ(Lm75::encode_millicelsius(125000), 0x7D00);
    EXPECT_EQ(Lm75::encode_millicelsius(200000), 0x7D00);  // clamped to the range
    EXPECT_EQ(Lm75::encode_millicelsius(-99000), 0xC900);
    EXPECT_EQ(Lm75::decode_millicelsius(0xE700), -25000);
    EXPECT_EQ(Lm75::decode_millicelsius(0x1980), 25500);
}

TEST(Lm75, SetTemperatureShowsOnTheBus) {
    Fixture f;
    f.sensor->set_temperature_millicelsius(-10500);
    EXPECT_EQ(f.read_reg(0x00, 2), (std::vector<uint8_t>{0xF5, 0x80}));
    f.sensor->set_temperature_millicelsius(31250);
    EXPECT_EQ(f.read_reg(0x00, 2), (std::vector<uint8_t>{0x1F, 0x00}));
}

TEST(Lm75, ReadsWithoutPointerWriteUseTheLastPointer) {
    Fixture f;
    EXPECT_EQ(f.read_reg(0x03, 2), (std::vector<uint8_t>{0x50, 0x00}));  // TOS 80 degC
    auto o = f.bus.read_transaction(kAddr, 2);
    ASSERT_EQ(o.result, I2cResult::ok);
    EXPECT_EQ(o.data, (std::vector<uint8_t>{0x50, 0x00}));
}

TEST(Lm75, FreshPointerIsTheTemperature) {
    Fixture f;
    auto o = f.bus.read_transaction(kAddr, 2);
    ASSERT_EQ(o.result, I2cResult::ok);
    EXPECT_EQ(o.data, (std::vector<uint8_t>{0x19, 0x00}));
}

TEST(Lm75, LimitDefaultsAndWrites) {
    Fixture f;
    EXPECT_EQ(f.read_reg(0x02, 2), (std::vector<uint8_t>{0x4B, 0x00}));  // THYST 75 degC
    const std::vector<uint8_t> tos = {0x03, 0x3C, 0xFF};                 // 60.5 degC; unused low bits dropped
    ASSERT_EQ(f.bus.write_transaction(kAddr, tos).result, I2cResult::ok);
    EXPECT_EQ(f.read_reg(0x03, 2), (std::vector<uint8_t>{0x3C, 0x80}));
    EXPECT_EQ(f.sensor->register_word(Lm75::kOvertemp), 0x3C80);
}

TEST(Lm75, ConfigRegisterIsOneByte) {
    Fixture f;
    EXPECT_EQ(f.read_reg(0x01, 1), (std::vector<uint8_t>{0x00}));
    const std::vector<uint8_t> cfg = {0x01, 0xE1};
    ASSERT_EQ(f.bus.write_transaction(kAddr, cfg).result, I2cResult::ok);
    EXPECT_EQ(f.sensor->config(), 0x01);  // reserved bits stay 0
    EXPECT_EQ(f.read_reg(0x01, 2), (std::vector<uint8_t>{0x01, 0x01}));
}

TEST(Lm75, TemperatureRegisterIgnoresWrites) {
    Fixture f;
    const std::vector<uint8_t> w = {0x00, 0x7F, 0x00};
    ASSERT_EQ(f.bus.write_transaction(kAddr, w).result, I2cResult::ok);
    EXPECT_EQ(f.read_reg(0x00, 2), (std::vector<uint8_t>{0x19, 0x00}));
}

}  // namespace
}  // namespace usbio::models
