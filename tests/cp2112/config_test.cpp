// SPDX-License-Identifier: Apache-2.0
// Chip configuration of a simulated CP2112 through the public API
// (Device::config / set_config).
#include <algorithm>
#include <latch>
#include <string>
#include <thread>

#include "sim_fixture.hpp"

namespace usbio::test {
namespace {

using Cp2112Config = Cp2112Sim;

std::string value_of(const Device& dev, const std::string& name) {
    auto s = dev.config(name);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? s.value().value : std::string("<error>");
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

RequestConfig output_line(unsigned offset) {
    RequestConfig r;
    r.consumer = "config-test";
    LineConfig c;
    c.offset = offset;
    c.settings.direction = Direction::output;
    r.lines.push_back(c);
    return r;
}

TEST_F(Cp2112Config, ListsWhatTheChipHolds) {
    auto all = dev.config();
    ASSERT_TRUE(all.ok()) << all.error().message;
    auto find = [&](const std::string& name) {
        auto it = std::find_if(all.value().begin(), all.value().end(), [&](auto& s) { return s.name == name; });
        EXPECT_NE(it, all.value().end()) << name;
        return it == all.value().end() ? ConfigSetting{} : *it;
    };
    EXPECT_EQ(find("chip.part_number").value, "0x0C");
    EXPECT_FALSE(find("chip.part_number").writable);
    EXPECT_EQ(find("chip.version").value, "2");
    EXPECT_EQ(find("i2c.bitrate").value, "100000");
    EXPECT_EQ(find("i2c.retry_limit").value, "1");
    EXPECT_EQ(find("gpio.7.function").value, "gpio");
    EXPECT_EQ(find("usb.vid").value, "0x10C4");
    EXPECT_EQ(find("usb.pid").value, "0xEA90");
    EXPECT_EQ(find("usb.power_ma").value, "100");
    EXPECT_EQ(find("usb.power_mode").value, "bus");
    const ConfigSetting serial = find("usb.serial");
    EXPECT_EQ(serial.value, adapter->serial());
    EXPECT_TRUE(serial.permanent);
    EXPECT_FALSE(serial.locked);
    EXPECT_EQ(find("usb.lock").value, "none");
    EXPECT_FALSE(find("i2c.bitrate").permanent);
}

TEST_F(Cp2112Config, BitrateIsTheBusBitrate) {
    ASSERT_TRUE(dev.set_config("i2c.bitrate", "50000").ok());
    EXPECT_EQ(bus.bitrate().value(), 50000u);
    ASSERT_TRUE(bus.set_bitrate(400000).ok());
    EXPECT_EQ(value_of(dev, "i2c.bitrate"), "400000");
    // The bus still works at the new clock.
    EXPECT_TRUE(retry_while_nack([&] { return bus.read_byte_data(0x50, 0); }).ok());
}

TEST_F(Cp2112Config, TimeoutsAndRetriesReachTheChip) {
    ASSERT_TRUE(dev.set_config("i2c.read_timeout_ms", "500").ok());
    ASSERT_TRUE(dev.set_config("i2c.write_timeout_ms", "0").ok());
    ASSERT_TRUE(dev.set_config("i2c.retry_limit", "3").ok());
    EXPECT_EQ(value_of(dev, "i2c.read_timeout_ms"), "500");
    EXPECT_EQ(value_of(dev, "i2c.write_timeout_ms"), "0");
    EXPECT_EQ(value_of(dev, "i2c.retry_limit"), "3");
    // A new clock brings timeouts to suit it and keeps the retry limit.
    ASSERT_TRUE(dev.set_config("i2c.bitrate", "400000").ok());
    EXPECT_EQ(value_of(dev, "i2c.retry_limit"), "3");
    EXPECT_NE(value_of(dev, "i2c.write_timeout_ms"), "0");
    // A missing target still ends, with no chip-side write timeout.
    auto r = bus.write_byte(0x23, 0);
    EXPECT_FALSE(r.ok());
}

TEST_F(Cp2112Config, UnknownNameIsEinvalNamingTheSettings) {
    auto r = dev.set_config("i2c.speed", "1");
    EXPECT_EQ(r.code(), errc(EINVAL));
    EXPECT_TRUE(contains(r.error().message, "no setting 'i2c.speed'")) << r.error().message;
    EXPECT_TRUE(contains(r.error().message, "i2c.bitrate")) << r.error().message;
    EXPECT_EQ(dev.config("nope").code(), errc(EINVAL));
}

TEST_F(Cp2112Config, BadValueIsEinvalNamingWhatIsAllowed) {
    struct Case {
        const char* name;
        const char* value;
        const char* allowed;
    };
    for (const Case& c : {Case{"i2c.bitrate", "5", "10000..400000"}, Case{"i2c.bitrate", "100k", "10000..400000"},
                          Case{"i2c.read_timeout_ms", "1001", "1000"}, Case{"gpio.0.drive", "open", "open-drain"},
                          Case{"gpio.1.function", "tx-led", "rx-led"}, Case{"gpio.8.drive", "push-pull", "no setting"},
                          Case{"clock.divider", "256", "0..255"}}) {
        auto r = dev.set_config(c.name, c.value);
        EXPECT_EQ(r.code(), errc(EINVAL)) << c.name << "=" << c.value;
        if (!r.ok()) {
            EXPECT_TRUE(contains(r.error().message, c.allowed)) << r.error().message;
        }
    }
    auto r = dev.set_config("usb.power_ma", "101", Permanence::permanent);  // odd: not in 2 mA steps
    EXPECT_EQ(r.code(), errc(EINVAL));
    r = dev.set_config("usb.serial", std::string(31, 'A'), Permanence::permanent);
    EXPECT_EQ(r.code(), errc(EINVAL));
    EXPECT_EQ(value_of(dev, "usb.lock"), "none");  // nothing was programmed
}

TEST_F(Cp2112Config, ReadOnlyIsEperm) {
    auto r = dev.set_config("chip.version", "3");
    EXPECT_EQ(r.code(), errc(EPERM));
    EXPECT_TRUE(contains(r.error().message, "read-only")) << r.error().message;
}

TEST_F(Cp2112Config, PermanentFieldNeedsPermanence) {
    auto r = dev.set_config("usb.serial", "NEW1");
    EXPECT_EQ(r.code(), errc(EPERM));
    EXPECT_TRUE(contains(r.error().message, "one-time programmable")) << r.error().message;
    EXPECT_EQ(value_of(dev, "usb.serial"), adapter->serial());
}

TEST_F(Cp2112Config, OneTimeFieldIsWrittenOnceThenLocked) {
    ASSERT_TRUE(dev.set_config("usb.serial", "NEW1", Permanence::permanent).ok());
    auto s = dev.config("usb.serial");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s.value().value, "NEW1");
    EXPECT_TRUE(s.value().locked);
    EXPECT_EQ(value_of(dev, "usb.lock"), "serial");

    auto again = dev.set_config("usb.serial", "NEW2", Permanence::permanent);
    EXPECT_EQ(again.code(), errc(EACCES));
    EXPECT_TRUE(contains(again.error().message, "usb.serial is locked")) << again.error().message;
    EXPECT_EQ(value_of(dev, "usb.serial"), "NEW1");

    ASSERT_TRUE(dev.set_config("usb.vid", "0x1234", Permanence::permanent).ok());
    ASSERT_TRUE(dev.set_config("usb.power_mode", "self-regulated", Permanence::permanent).ok());
    ASSERT_TRUE(dev.set_config("usb.release", "2.7", Permanence::permanent).ok());
    EXPECT_EQ(value_of(dev, "usb.vid"), "0x1234");
    EXPECT_EQ(value_of(dev, "usb.pid"), "0xEA90");
    EXPECT_EQ(value_of(dev, "usb.power_mode"), "self-regulated");
    EXPECT_EQ(value_of(dev, "usb.release"), "2.7");
    EXPECT_EQ(value_of(dev, "usb.lock"), "vid,power_mode,release,serial");
}

TEST_F(Cp2112Config, LockingFieldsKeepsThemFromBeingProgrammed) {
    ASSERT_TRUE(dev.set_config("usb.lock", "pid,product", Permanence::permanent).ok());
    EXPECT_EQ(value_of(dev, "usb.lock"), "pid,product");
    EXPECT_EQ(dev.set_config("usb.pid", "0x0001", Permanence::permanent).code(), errc(EACCES));
    EXPECT_EQ(dev.set_config("usb.product", "Widget", Permanence::permanent).code(), errc(EACCES));
    EXPECT_EQ(value_of(dev, "usb.pid"), "0xEA90");
    EXPECT_TRUE(dev.set_config("usb.manufacturer", "Acme", Permanence::permanent).ok());
    EXPECT_EQ(dev.set_config("usb.lock", "pid,bogus", Permanence::permanent).code(), errc(EINVAL));
    ASSERT_TRUE(dev.set_config("usb.lock", "all", Permanence::permanent).ok());
    auto lock = dev.config("usb.lock");
    ASSERT_TRUE(lock.ok());
    EXPECT_TRUE(lock.value().locked);
}

TEST_F(Cp2112Config, DriveModeIsTheLineDrive) {
    ASSERT_TRUE(dev.set_config("gpio.3.drive", "push-pull").ok());
    EXPECT_EQ(gpio.line_info(3).value().drive, Drive::push_pull);
    ASSERT_TRUE(dev.set_config("gpio.3.drive", "open-drain").ok());
    EXPECT_EQ(gpio.line_info(3).value().drive, Drive::open_drain);
    EXPECT_EQ(value_of(dev, "gpio.3.drive"), "open-drain");
}

TEST_F(Cp2112Config, SpecialFunctionTakesTheLineFromGpio) {
    ASSERT_TRUE(dev.set_config("gpio.0.function", "tx-led").ok());
    EXPECT_EQ(value_of(dev, "gpio.0.function"), "tx-led");
    // Line info shows who has the line, as for a line the kernel holds.
    auto info = gpio.line_info(0);
    ASSERT_TRUE(info.ok()) << info.error().message;
    EXPECT_TRUE(info.value().used);
    EXPECT_EQ(info.value().consumer, "tx-led");
    EXPECT_EQ(info.value().direction, Direction::output);
    auto req = gpio.request_lines(output_line(0));
    ASSERT_FALSE(req.ok());
    EXPECT_EQ(req.code(), errc(EBUSY));
    EXPECT_TRUE(contains(req.error().message, "line 0")) << req.error().message;
    EXPECT_TRUE(contains(req.error().message, "function")) << req.error().message;
    // The other lines are unaffected.
    EXPECT_TRUE(gpio.request_lines(output_line(2)).ok());

    ASSERT_TRUE(dev.set_config("gpio.0.function", "gpio").ok());
    EXPECT_FALSE(gpio.line_info(0).value().used);
    EXPECT_EQ(gpio.line_info(0).value().direction, Direction::input);
    auto again = gpio.request_lines(output_line(0));
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE(again.value().set_value(0, 0).ok());
    EXPECT_EQ(adapter->pin_level(0), 0);
}

TEST_F(Cp2112Config, SetOnALineGivenToClockOutFails) {
    auto req = gpio.request_lines(output_line(7));
    ASSERT_TRUE(req.ok()) << req.error().message;
    ASSERT_TRUE(dev.set_config("clock.divider", "24").ok());
    ASSERT_TRUE(dev.set_config("gpio.7.function", "clock-out").ok());
    EXPECT_EQ(value_of(dev, "clock.divider"), "24");
    auto r = req.value().set_value(7, 0);
    EXPECT_EQ(r.code(), errc(EBUSY));
    EXPECT_TRUE(contains(r.error().message, "line 7")) << r.error().message;
}

TEST_F(Cp2112Config, UnplugDuringAConfigCallIsEnodev) {
    // The listing reads several reports; the cable goes at each in turn.
    for (uint64_t n = 1; n <= 6; ++n) {
        Context c;
        auto a = sim::attach(c, "cp2112");
        ASSERT_TRUE(a.ok());
        auto d = c.find(a.value()->serial());
        ASSERT_TRUE(d.ok());
        a.value()->unplug_at_transfer(n);
        auto r = d.value().config();
        EXPECT_EQ(r.code(), errc(ENODEV)) << "unplug at transfer " << n;
        EXPECT_TRUE(d.value().wait_gone(std::chrono::seconds(5)));
    }
    adapter->unplug_at_transfer(2);
    auto w = dev.set_config("usb.serial", "GONE", Permanence::permanent);
    EXPECT_EQ(w.code(), errc(ENODEV));
    EXPECT_TRUE(dev.wait_gone(std::chrono::seconds(5)));
    EXPECT_EQ(dev.config().code(), errc(ENODEV));
    EXPECT_EQ(dev.set_config("i2c.bitrate", "100000").code(), errc(ENODEV));
    EXPECT_EQ(dev.config("i2c.bitrate").code(), errc(ENODEV));
}

TEST_F(Cp2112Config, ConfigCallsRunBesideTransfersAndLineSets) {
    auto req = gpio.request_lines(output_line(2));
    ASSERT_TRUE(req.ok()) << req.error().message;
    constexpr int kRounds = 25;
    std::latch start(3);
    int i2c_failures = 0, gpio_failures = 0, config_failures = 0;
    std::thread i2c([&] {
        start.arrive_and_wait();
        for (int i = 0; i < kRounds; ++i) i2c_failures += bus.read_word_data(0x48, 0).ok() ? 0 : 1;
    });
    std::thread lines([&] {
        start.arrive_and_wait();
        for (int i = 0; i < kRounds; ++i) gpio_failures += req.value().set_value(2, i % 2).ok() ? 0 : 1;
    });
    start.arrive_and_wait();
    for (int i = 0; i < kRounds; ++i) {
        config_failures += dev.config().ok() ? 0 : 1;
        config_failures += dev.set_config("i2c.read_timeout_ms", i % 2 ? "200" : "300").ok() ? 0 : 1;
        config_failures += dev.set_config("gpio.5.drive", i % 2 ? "push-pull" : "open-drain").ok() ? 0 : 1;
    }
    i2c.join();
    lines.join();
    EXPECT_EQ(i2c_failures, 0);
    EXPECT_EQ(gpio_failures, 0);
    EXPECT_EQ(config_failures, 0);
    EXPECT_EQ(value_of(dev, "i2c.read_timeout_ms"), "300");  // the last round's
    EXPECT_EQ(value_of(dev, "gpio.2.drive"), "push-pull");   // the request's drive, kept by the config writes
}

TEST(Cp2112ConfigHandle, EmptyDeviceIsEnodev) {
    Device none;
    EXPECT_EQ(none.config().code(), errc(ENODEV));
    EXPECT_EQ(none.set_config("i2c.bitrate", "100000").code(), errc(ENODEV));
}

}  // namespace
}  // namespace usbio::test
