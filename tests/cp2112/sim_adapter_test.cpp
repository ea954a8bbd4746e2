// SPDX-License-Identifier: Apache-2.0
// usbio::sim::attach and the simulated CP2112 adapter: naming, options, and
// the hardware surviving unplug and re-plug.
#include <algorithm>
#include <array>
#include <regex>

#include "sim_fixture.hpp"

namespace usbio::test {
namespace {

using namespace std::chrono_literals;

TEST(SimAttach, UnknownChipIsRefusedNamingTheSupportedOnes) {
    Context ctx;
    auto r = sim::attach(ctx, "ft9999");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EINVAL));
    EXPECT_NE(r.error().message.find("ft9999"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("cp2112"), std::string::npos) << r.error().message;
    EXPECT_TRUE(ctx.devices().empty());

    const auto chips = sim::supported_chips();
    EXPECT_NE(std::find(chips.begin(), chips.end(), "cp2112"), chips.end());
}

TEST(SimAttach, DefaultSerialsAreUniqueAndDevicesDescribeThemselves) {
    Context ctx;
    auto a = sim::attach(ctx, "cp2112").value();
    auto b = sim::attach(ctx, "cp2112").value();
    const std::regex shape("SIM[0-9]{4}");
    EXPECT_TRUE(std::regex_match(a->serial(), shape)) << a->serial();
    EXPECT_TRUE(std::regex_match(b->serial(), shape)) << b->serial();
    EXPECT_NE(a->serial(), b->serial());
    EXPECT_EQ(a->chip(), "cp2112");
    EXPECT_TRUE(a->plugged());

    ASSERT_EQ(ctx.devices().size(), 2u);
    const Device dev = ctx.find(a->serial()).value();
    const DeviceInfo& info = dev.info();
    EXPECT_EQ(info.driver, "cp2112");
    EXPECT_EQ(info.serial, a->serial());
    EXPECT_EQ(info.vid, 0x10C4);
    EXPECT_EQ(info.pid, 0xEA90);
    EXPECT_TRUE(info.simulated);
    EXPECT_EQ(info.path.rfind("sim:", 0), 0u) << info.path;
    EXPECT_EQ(dev.gpio_chip_count(), 1u);
    EXPECT_EQ(dev.i2c_bus_count(), 1u);
    // The port path finds the same device.
    EXPECT_EQ(ctx.find(info.path).value().info().serial, a->serial());
}

TEST(SimAttach, OptionsShapeTheSimulatedWorld) {
    Context ctx;
    sim::Options o;
    o.serial = "BENCH42";
    o.with_eeprom = false;
    o.with_sensor = true;
    auto a = sim::attach(ctx, "CP2112", o);
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(a.value()->serial(), "BENCH42");
    auto bus = ctx.find("BENCH42").value().i2c_bus().value();
    EXPECT_EQ(bus.read_byte(0x50).code(), errc(ENXIO));
    EXPECT_TRUE(bus.read_byte_data(0x48, 0x01).ok());
    EXPECT_TRUE(a.value()->eeprom_contents().empty());
}

// Attaches a CP2112 with one setting, which must be refused: the message.
std::string refused_setting(const std::string& name, const std::string& value) {
    Context ctx;
    sim::Options o;
    o.settings[name] = value;
    auto a = sim::attach(ctx, "cp2112", o);
    EXPECT_FALSE(a.ok()) << name << "=" << value;
    EXPECT_TRUE(ctx.devices().empty());
    if (a.ok()) return {};
    EXPECT_EQ(a.code(), errc(EINVAL));
    return a.error().message;
}

TEST(SimAttach, AnUnknownSettingOrABadValueIsRefusedWithTheChipsSettings) {
    const std::string settings =
        "(settings: device-version: 1 (no repeated START), 2 (default) or 3 (Auto Send Read fixed), eeprom-part: "
        "24c01 .. 24c512 or m24c01 .. m24512 "
        "(default 24c32), eeprom-write-cycle-us: 0 to 100000 microseconds (default 5000))";
    EXPECT_EQ(refused_setting("firmware", "3"), "simulated cp2112: unknown setting 'firmware' " + settings);
    EXPECT_EQ(refused_setting("device-version", "4"),
              "simulated cp2112: setting 'device-version' cannot be '4' " + settings);
    EXPECT_EQ(refused_setting("device-version", "03"),
              "simulated cp2112: setting 'device-version' cannot be '03' " + settings);
    EXPECT_EQ(refused_setting("eeprom-part", "24c1024"),
              "simulated cp2112: setting 'eeprom-part' cannot be '24c1024' " + settings);
    EXPECT_EQ(refused_setting("eeprom-write-cycle-us", "5ms"),
              "simulated cp2112: setting 'eeprom-write-cycle-us' cannot be '5ms' " + settings);
}

TEST(SimAttach, DeviceVersionSettingReachesTheChip) {
    Context ctx;
    for (const char* v : {"1", "2", "3"}) {
        sim::Options o;
        o.settings["device-version"] = v;
        auto a = sim::attach(ctx, "cp2112", o);
        ASSERT_TRUE(a.ok()) << a.error().message;
        auto dev = ctx.find(a.value()->serial()).value();
        EXPECT_EQ(dev.i2c_bus().value().info().repeated_start, std::string(v) != "1") << v;
        auto config = dev.config();
        ASSERT_TRUE(config.ok()) << config.error().message;
        auto version = std::find_if(config.value().begin(), config.value().end(),
                                    [](const ConfigSetting& s) { return s.name == "chip.version"; });
        ASSERT_NE(version, config.value().end());
        EXPECT_EQ(version->value, v);
    }
}

using SimAdapter = Cp2112Sim;

TEST_F(SimAdapter, FaultsAreTheChipsOwn) {
    EXPECT_EQ(adapter->faults(),
              (std::vector<std::string>{"short-report", "bad-length", "bad-status", "wrong-report-id"}));
    auto r = adapter->inject_fault("bad-crc");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EINVAL));
    EXPECT_NE(r.error().message.find("unknown fault 'bad-crc' (faults: short-report, bad-length, bad-status, "
                                     "wrong-report-id)"),
              std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("cp2112 [sim:"), std::string::npos) << r.error().message;
    // A known fault reaches the chip: the next transfer sees a broken report.
    ASSERT_TRUE(adapter->inject_fault("bad-status").ok());
    std::array<uint8_t, 1> b{};
    auto broken = bus.read(0x48, b);
    ASSERT_FALSE(broken.ok());
    EXPECT_TRUE(broken.code() == errc(EPROTO) || broken.code() == errc(EIO)) << broken.error().message;
}

TEST_F(SimAdapter, PlugWhilePluggedIsANoOp) {
    auto again = adapter->plug();
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE(*again == dev);
    EXPECT_EQ(ctx.devices().size(), 1u);
}

TEST_F(SimAdapter, TransferCountFollowsTraffic) {
    const uint64_t before = adapter->transfer_count();
    EXPECT_GT(before, 0u);  // the probe talked to the chip
    ASSERT_TRUE(bus.read_byte_data(0x48, 0x01).ok());
    EXPECT_GT(adapter->transfer_count(), before);
}

TEST_F(SimAdapter, UnplugRemovesTheDeviceAndEveryCallFailsWithNoDevice) {
    adapter->unplug();
    ASSERT_TRUE(dev.wait_gone(5s));
    EXPECT_FALSE(adapter->plugged());
    EXPECT_TRUE(ctx.devices().empty());
    const uint64_t count = adapter->transfer_count();
    EXPECT_EQ(bus.read_byte_data(0x48, 0x01).code(), errc(ENODEV));
    EXPECT_EQ(gpio.line_info(0).code(), errc(ENODEV));
    // Refused before the driver: nothing more reached the USB side.
    EXPECT_EQ(adapter->transfer_count(), count);
}

TEST_F(SimAdapter, EepromSurvivesReplugWhileChipRamDoesNot) {
    const std::array<uint8_t, 6> w{0x00, 0x20, 0xDE, 0xAD, 0xBE, 0xEF};
    ASSERT_TRUE(retry_while_nack([&] { return bus.write(0x50, w); }).ok());
    LineConfig lc;
    lc.offset = 2;
    lc.settings.direction = Direction::output;
    RequestConfig rc;
    rc.lines = {lc};
    ASSERT_TRUE(gpio.request_lines(rc).ok());
    ASSERT_EQ(gpio.line_info(2).value().direction, Direction::output);

    adapter->unplug();
    ASSERT_TRUE(dev.wait_gone(5s));
    auto again = adapter->plug();
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE(adapter->plugged());
    EXPECT_EQ(again->info().serial, adapter->serial());

    auto bus2 = again->i2c_bus().value();
    const std::array<uint8_t, 2> addr{0x00, 0x20};
    std::array<uint8_t, 4> in{};
    ASSERT_TRUE(retry_while_nack([&] { return bus2.write_read(0x50, addr, in); }).ok());
    EXPECT_EQ(in, (std::array<uint8_t, 4>{0xDE, 0xAD, 0xBE, 0xEF}));
    // GPIO configuration lives in chip RAM: back to an input after the replug.
    EXPECT_EQ(again->gpio_chip().value().line_info(2).value().direction, Direction::input);
    // The old handles stay dead; they do not reach the new connection.
    EXPECT_EQ(bus.read_byte_data(0x48, 0x01).code(), errc(ENODEV));
}

TEST_F(SimAdapter, RemovedDeviceCanBePluggedAgain) {
    dev.remove();
    EXPECT_EQ(dev.state(), DeviceState::gone);
    EXPECT_FALSE(adapter->plugged());
    auto again = adapter->plug();
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE(again->i2c_bus().value().read_byte_data(0x48, 0x01).ok());
}

}  // namespace
}  // namespace usbio::test
