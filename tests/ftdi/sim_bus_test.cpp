// SPDX-License-Identifier: Apache-2.0
// Bus recovery and clock stretching through the public API, on every FTDI
// chip and on the CP2112, which can do neither (its I2C engine is not
// bit-level, and it always waits for a stretching target).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "usbio/usbio.hpp"

namespace usbio {
namespace {

struct Sim {
    explicit Sim(std::string_view chip) {
        auto a = sim::attach(ctx, chip);
        if (!a.ok()) {
            ADD_FAILURE() << a.error().message;
            return;
        }
        adapter = a.value();
        dev = adapter->devices().front();
        bus = dev.i2c_bus().value();
        gpio = dev.gpio_chip().value();
    }
    Context ctx;
    std::shared_ptr<sim::Adapter> adapter;
    Device dev;
    I2cBus bus;
    GpioChip gpio;
};

bool mentions(const Error& e, const std::string& what) { return e.message.find(what) != std::string::npos; }

TEST(I2cRecover, FreesTheBusOrSaysSdaIsHeldNamingTheAdapter) {
    for (auto chip : {"ft232h", "ft2232h", "ft4232h"}) {
        Sim s(chip);
        ASSERT_TRUE(s.adapter) << chip;
        EXPECT_TRUE(s.bus.info().recover);
        EXPECT_TRUE(s.bus.recover().ok());
        s.adapter->set_bus_stuck(true);
        const auto r = s.bus.recover();
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.code(), std::errc::io_error);
        EXPECT_TRUE(mentions(r.error(), s.dev.info().display_name())) << r.error().message;
        EXPECT_TRUE(mentions(r.error(), "SDA is still held low")) << r.error().message;
        s.adapter->set_bus_stuck(false);
        EXPECT_TRUE(s.bus.recover().ok());
        uint8_t b[1];
        EXPECT_TRUE(s.bus.read(0x50, b).ok());
    }
}

TEST(I2cRecover, AfterUnplugIsEnodev) {
    Sim s("ft232h");
    ASSERT_TRUE(s.adapter);
    s.adapter->unplug();
    ASSERT_TRUE(s.dev.wait_gone(std::chrono::seconds(10)));
    EXPECT_EQ(s.bus.recover().code(), std::errc::no_such_device);
    EXPECT_EQ(s.bus.set_clock_stretching(true).code(), std::errc::no_such_device);
    EXPECT_EQ(I2cBus().recover().code(), std::errc::no_such_device);
}

TEST(I2cRecover, Cp2112CannotAndSaysSo) {
    Sim s("cp2112");
    ASSERT_TRUE(s.adapter);
    EXPECT_FALSE(s.bus.info().recover);
    EXPECT_FALSE(s.bus.info().clock_stretching);
    const auto r = s.bus.recover();
    EXPECT_EQ(r.code(), std::errc::operation_not_supported);
    EXPECT_TRUE(mentions(r.error(), s.dev.info().display_name())) << r.error().message;
    EXPECT_TRUE(mentions(r.error(), "cannot clock the bus by itself")) << r.error().message;
    const auto st = s.bus.set_clock_stretching(true);
    EXPECT_EQ(st.code(), std::errc::operation_not_supported);
    EXPECT_TRUE(mentions(st.error(), s.dev.info().display_name())) << st.error().message;
}

TEST(I2cClockStretching, OnlyFt232hAndFt2232hCanSwitchIt) {
    for (auto [chip, can] : {std::pair{"ft232h", true}, std::pair{"ft2232h", true}, std::pair{"ft4232h", false}}) {
        Sim s(chip);
        ASSERT_TRUE(s.adapter) << chip;
        EXPECT_EQ(s.bus.info().clock_stretching, can) << chip;
        const auto r = s.bus.set_clock_stretching(true);
        if (can) {
            EXPECT_TRUE(r.ok()) << r.error().message;
        } else {
            EXPECT_EQ(r.code(), std::errc::operation_not_supported) << chip;
            EXPECT_TRUE(mentions(r.error(), s.dev.info().display_name())) << r.error().message;
        }
        uint8_t b[1];
        EXPECT_TRUE(s.bus.read(0x50, b).ok()) << chip;
    }
}

TEST(I2cClockStretching, TakesAdbus7FromGpioNamingWhatFor) {
    Sim s("ft2232h");
    ASSERT_TRUE(s.adapter);
    const unsigned ad7 = s.gpio.find_line("ADBUS7").value();
    ASSERT_TRUE(s.bus.set_clock_stretching(true).ok());
    auto info = s.gpio.line_info(ad7);
    ASSERT_TRUE(info.ok()) << info.error().message;
    EXPECT_TRUE(info->used);
    EXPECT_NE(info->consumer.find("clock stretching"), std::string::npos) << info->consumer;
    LineSettings out;
    out.direction = Direction::output;
    auto req = s.gpio.request_lines({"t", {{ad7, out}}});
    ASSERT_FALSE(req.ok());
    EXPECT_EQ(req.code(), std::errc::device_or_resource_busy);
    EXPECT_TRUE(mentions(req.error(), "ADBUS7")) << req.error().message;
    EXPECT_TRUE(mentions(req.error(), "clock stretching")) << req.error().message;
    ASSERT_TRUE(s.bus.set_clock_stretching(false).ok());
    EXPECT_TRUE(s.gpio.request_lines({"t", {{ad7, out}}}).ok());
}

}  // namespace
}  // namespace usbio
