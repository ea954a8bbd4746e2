// SPDX-License-Identifier: Apache-2.0
// I2C to the bench's EEPROM and temperature sensor.
#include <cerrno>

#include "hw_fixture.hpp"
#include "scenario_ops.hpp"

namespace usbio::hw {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// An EEPROM NACKs its address while it writes a page internally (24C32:
// up to 10 ms). Polls with the address-setting write until it ACKs.
Result<void> wait_write_cycle(I2cBus& bus, const BenchConfig& c, std::chrono::milliseconds limit, int& polls) {
    const auto at = eeprom_address(c, c.eeprom_offset);
    const auto deadline = Clock::now() + limit;
    polls = 0;
    for (;;) {
        ++polls;
        auto r = bus.write(*c.eeprom_addr, at);
        if (r || r.code().value() != ENXIO || Clock::now() >= deadline) return r;
    }
}

Result<void> write_page(I2cBus& bus, const BenchConfig& c, const std::vector<uint8_t>& data) {
    std::vector<uint8_t> msg = eeprom_address(c, c.eeprom_offset);
    msg.insert(msg.end(), data.begin(), data.end());
    return bus.write(*c.eeprom_addr, msg);
}

// Asserts: a page written to the EEPROM's scratch offset reads back the
// same after the write cycle (acknowledge polling, bounded at 100 ms), and
// the page's old contents are put back the same way. Prints how long the
// write cycle took.
TEST_F(HwTest, I2cEepromWriteReadBack) {
    if (!cfg.eeprom_addr) GTEST_SKIP() << "no EEPROM configured (USBIO_HW_EEPROM_ADDR=none)";
    char where[64];
    std::snprintf(where, sizeof where, "0x%02x offset 0x%04x", *cfg.eeprom_addr, cfg.eeprom_offset);
    asserts(std::string("a page written to the EEPROM at ") + where +
            " reads back identical after its write cycle; the old contents are restored");
    auto bus = dev.i2c_bus(0);
    ASSERT_TRUE(bus) << bus.error().message;
    const std::size_t page = std::min<std::size_t>(cfg.eeprom_page, bus->info().max_write - cfg.eeprom_addr_bytes);
    const auto at = eeprom_address(cfg, cfg.eeprom_offset);

    std::vector<uint8_t> original(page);
    auto r = bus->write_read(*cfg.eeprom_addr, at, original);
    ASSERT_TRUE(r) << r.error().message;
    // Differs from the old contents in every byte, so a write that did not
    // happen cannot pass.
    std::vector<uint8_t> pattern(page);
    for (std::size_t i = 0; i < page; ++i) pattern[i] = static_cast<uint8_t>(~original[i] ^ (i & 0x0f));

    const auto t0 = Clock::now();
    r = write_page(*bus, cfg, pattern);
    ASSERT_TRUE(r) << r.error().message;
    int polls = 0;
    r = wait_write_cycle(*bus, cfg, 100ms, polls);
    const double cycle_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    ASSERT_TRUE(r) << "EEPROM still busy 100 ms after a page write: " << r.error().message;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.1f (%d polls)", cycle_ms, polls);
    measure("eeprom_write_cycle_ms", buf);

    std::vector<uint8_t> back(page);
    r = bus->write_read(*cfg.eeprom_addr, at, back);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(back, pattern);

    r = write_page(*bus, cfg, original);
    ASSERT_TRUE(r) << "restoring the page: " << r.error().message;
    r = wait_write_cycle(*bus, cfg, 100ms, polls);
    ASSERT_TRUE(r) << r.error().message;
    r = bus->write_read(*cfg.eeprom_addr, at, back);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(back, original) << "the page's old contents were not restored";
}

// Asserts: the sensor's temperature register (LM75 style: pointer 0, two
// bytes, 9-bit two's complement in 0.5 degC steps) reads a value in the
// sensor's range, -55..125 degC. The sensor is optional unless
// USBIO_HW_SENSOR_ADDR names it: when it does not answer, this skips.
TEST_F(HwTest, I2cSensorRead) {
    if (!cfg.sensor_addr) GTEST_SKIP() << "no sensor configured (USBIO_HW_SENSOR_ADDR=none)";
    asserts("the temperature sensor answers with a reading between -55 and 125 degC");
    auto bus = dev.i2c_bus(0);
    ASSERT_TRUE(bus) << bus.error().message;
    const uint8_t pointer = 0;
    uint8_t t[2];
    auto r = bus->write_read(*cfg.sensor_addr, std::span<const uint8_t>(&pointer, 1), t);
    if (!r && r.code().value() == ENXIO && !cfg.sensor_required)
        GTEST_SKIP() << "no sensor answers at the default address (optional): " << r.error().message;
    ASSERT_TRUE(r) << r.error().message;
    const int raw = static_cast<int16_t>(static_cast<uint16_t>(t[0] << 8 | t[1])) >> 7;
    const double celsius = raw * 0.5;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", celsius);
    measure("temperature_c", buf);
    EXPECT_GE(celsius, -55.0);
    EXPECT_LE(celsius, 125.0);
}

}  // namespace
}  // namespace usbio::hw
