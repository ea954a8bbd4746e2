// SPDX-License-Identifier: Apache-2.0
// Saved state through the public sim API: what one simulated CP2112 did is
// there in another made from its saved state, the driver probes the loaded
// hardware, and a bad state is refused naming its line.
#include <array>

#include "sim_fixture.hpp"

namespace usbio::test {
namespace {

using namespace std::chrono_literals;
using SimState = Cp2112Sim;

LineRequest drive(GpioChip& chip, unsigned offset, bool value, Drive drive = Drive::push_pull) {
    LineConfig lc;
    lc.offset = offset;
    lc.settings.direction = Direction::output;
    lc.settings.drive = drive;
    lc.settings.output_value = value;
    RequestConfig rc;
    rc.lines = {lc};
    return chip.request_lines(rc).value();
}

TEST_F(SimState, AnotherAdapterStartsWhereThisOneWas) {
    const std::array<uint8_t, 4> w{0x01, 0x00, 0xC0, 0xDE};
    ASSERT_TRUE(retry_while_nack([&] { return bus.write(0x50, w); }).ok());
    ASSERT_TRUE(bus.write_byte_data(0x48, 0x01, 0x02).ok());  // LM75 configuration
    drive(gpio, 5, false, Drive::open_drain).release();
    adapter->set_temperature_millicelsius(31000);
    adapter->set_input_level(1, 0);
    auto saved = adapter->save_state();
    ASSERT_TRUE(saved.ok()) << saved.error().message;

    Context other;
    sim::Options o;
    o.state = *saved;
    auto b = sim::attach(other, "cp2112", o);
    ASSERT_TRUE(b.ok()) << b.error().message;
    // Saved again before anything else touches it, it is the same state
    // (the probe sets the SMBus configuration the first driver set too).
    EXPECT_EQ((*b)->save_state().value(), *saved);
    auto dev2 = other.find((*b)->serial()).value();
    auto bus2 = dev2.i2c_bus().value();
    std::array<uint8_t, 2> in{};
    ASSERT_TRUE(bus2.write_read(0x50, std::array<uint8_t, 2>{0x01, 0x00}, in).ok());
    EXPECT_EQ(in, (std::array<uint8_t, 2>{0xC0, 0xDE}));
    EXPECT_EQ(bus2.read_byte_data(0x48, 0x01).value(), 0x02);
    std::array<uint8_t, 2> temperature{};
    ASSERT_TRUE(bus2.write_read(0x48, std::array<uint8_t, 1>{0x00}, temperature).ok());
    EXPECT_EQ(temperature, (std::array<uint8_t, 2>{0x1F, 0x00}));  // 31.0 degC
    // The driver probed the loaded chip: the line is still an open-drain
    // output driving low, and the world still holds line 1 low.
    auto gpio2 = dev2.gpio_chip().value();
    const LineInfo li = gpio2.line_info(5).value();
    EXPECT_EQ(li.direction, Direction::output);
    EXPECT_EQ(li.drive, Drive::open_drain);
    EXPECT_EQ((*b)->pin_level(5), 0);
    EXPECT_EQ((*b)->pin_level(1), 0);
    EXPECT_EQ((*b)->eeprom_contents(), adapter->eeprom_contents());
}

TEST_F(SimState, LoadIntoAPluggedAdapterChangesTheHardware) {
    auto fresh = adapter->save_state().value();
    ASSERT_TRUE(retry_while_nack([&] { return bus.write(0x50, std::array<uint8_t, 3>{0x00, 0x00, 0x11}); }).ok());
    EXPECT_EQ(adapter->eeprom_contents()[0], 0x11);
    auto loaded = adapter->load_state(fresh);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(adapter->eeprom_contents()[0], 0xFF);
    EXPECT_TRUE(adapter->plugged());
}

TEST_F(SimState, BadStateIsRefusedAndChangesNothing) {
    auto good = adapter->save_state().value();
    const auto before = adapter->eeprom_contents();
    std::string bad = good;
    bad.replace(bad.find("chip cp2112"), 11, "chip ft232h");
    auto r = adapter->load_state(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EINVAL));
    EXPECT_EQ(r.error().message, "line 2: the state of a ft232h, not of a cp2112");

    bad = good.substr(0, good.size() / 2);  // truncated
    r = adapter->load_state(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("no 'end' line"), std::string::npos) << r.error().message;
    EXPECT_EQ(adapter->eeprom_contents(), before);

    Context other;
    sim::Options o;
    o.state = bad;
    auto b = sim::attach(other, "cp2112", o);
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.code(), errc(EINVAL));
    EXPECT_NE(b.error().message.find("no 'end' line"), std::string::npos) << b.error().message;
    EXPECT_TRUE(other.devices().empty());
}

}  // namespace
}  // namespace usbio::test
