// SPDX-License-Identifier: Apache-2.0
// I2C of a simulated CP2112 through the public API: plain transfers, chip
// limits, SMBus helpers against the 24C32 EEPROM (0x50) and LM75 (0x48).
#include <array>
#include <numeric>
#include <vector>

#include "sim_fixture.hpp"

namespace usbio::test {
namespace {

constexpr uint16_t kEeprom = 0x50;
constexpr uint16_t kSensor = 0x48;
constexpr std::size_t kPage = 32;  // 24C32 page size

using Cp2112I2c = Cp2112Sim;

std::vector<uint8_t> pattern(std::size_t n, uint8_t seed) {
    std::vector<uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 7);
    return v;
}

// One page write: two address bytes, then data that stays inside the page.
Result<void> eeprom_write(I2cBus& bus, uint16_t addr, const std::vector<uint8_t>& data) {
    std::vector<uint8_t> b{static_cast<uint8_t>(addr >> 8), static_cast<uint8_t>(addr)};
    b.insert(b.end(), data.begin(), data.end());
    return retry_while_nack([&] { return bus.write(kEeprom, b); });
}

Result<std::vector<uint8_t>> eeprom_read(I2cBus& bus, uint16_t addr, std::size_t n) {
    const std::array<uint8_t, 2> a{static_cast<uint8_t>(addr >> 8), static_cast<uint8_t>(addr)};
    std::vector<uint8_t> out(n);
    auto r = retry_while_nack([&] { return bus.write_read(kEeprom, a, out); });
    if (!r.ok()) return r.error();
    return out;
}

TEST_F(Cp2112I2c, BusInfoStatesTheChipLimits) {
    const I2cBusInfo info = bus.info();
    EXPECT_EQ(info.name, "cp2112-" + adapter->serial() + " i2c");
    EXPECT_EQ(info.max_write, 61u);
    EXPECT_EQ(info.max_read, 512u);
    EXPECT_EQ(info.max_write_before_read, 16u);
    EXPECT_TRUE(info.repeated_start);
    EXPECT_EQ(info.min_bitrate, 10'000u);
    EXPECT_EQ(info.max_bitrate, 400'000u);
}

TEST_F(Cp2112I2c, WriteThenWriteReadRoundTripsThroughTheEeprom) {
    const auto data = pattern(16, 0x30);
    ASSERT_TRUE(eeprom_write(bus, 0x0040, data).ok());
    auto back = eeprom_read(bus, 0x0040, data.size());
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back.value(), data);
    const auto mem = adapter->eeprom_contents();
    ASSERT_GE(mem.size(), 0x40u + data.size());
    EXPECT_TRUE(std::equal(data.begin(), data.end(), mem.begin() + 0x40));
}

TEST_F(Cp2112I2c, PlainReadContinuesFromTheAddressPointer) {
    const auto data = pattern(8, 0x11);
    ASSERT_TRUE(eeprom_write(bus, 0x0100, data).ok());
    const std::array<uint8_t, 2> addr{0x01, 0x00};
    ASSERT_TRUE(retry_while_nack([&] { return bus.write(kEeprom, addr); }).ok());
    std::vector<uint8_t> first(3), rest(5);
    ASSERT_TRUE(bus.read(kEeprom, first).ok());
    ASSERT_TRUE(bus.read(kEeprom, rest).ok());
    first.insert(first.end(), rest.begin(), rest.end());
    EXPECT_EQ(first, data);
}

TEST_F(Cp2112I2c, ReadRightAfterAPageWriteIsNackedUntilTheWriteCycleEnds) {
    using Clock = std::chrono::steady_clock;
    // The 24C32 write cycle is 5 ms and starts during the write call. A read
    // that ended within 5 ms of that call's start must have found the EEPROM
    // busy (timed from the call's start, not its return: a thread descheduled
    // after the write would see a cycle that is already over). Slower runs
    // (sanitizers) cannot tell, so a few attempts are made.
    constexpr auto kWriteCycle = std::chrono::milliseconds(5);
    const std::array<uint8_t, 2> addr{0x02, 0x00};
    bool checked = false;
    for (int attempt = 0; attempt < 20 && !checked; ++attempt) {
        const auto data = pattern(kPage, static_cast<uint8_t>(attempt));
        std::vector<uint8_t> w{0x02, 0x00};
        w.insert(w.end(), data.begin(), data.end());
        // The previous attempt's write cycle may still run.
        Clock::time_point write_began;
        ASSERT_TRUE(retry_while_nack([&] {
                        write_began = Clock::now();
                        return bus.write(kEeprom, w);
                    }).ok());
        std::vector<uint8_t> in(4);
        auto r = bus.write_read(kEeprom, addr, in);
        if (Clock::now() - write_began < kWriteCycle) {
            checked = true;
            ASSERT_FALSE(r.ok());
            EXPECT_EQ(r.code(), errc(ENXIO)) << r.error().message;
        }
        // Polling ends once the cycle is over, with the new data.
        const auto start = Clock::now();
        auto back = eeprom_read(bus, 0x0200, kPage);
        ASSERT_TRUE(back.ok()) << back.error().message;
        EXPECT_EQ(back.value(), data);
        EXPECT_LT(Clock::now() - start, std::chrono::seconds(1));
    }
    if (!checked) GTEST_SKIP() << "too slow here to catch the EEPROM inside its write cycle";
}

TEST_F(Cp2112I2c, Reads512BytesInOneTransfer) {
    std::vector<uint8_t> all;
    for (std::size_t page = 0; page < 512 / kPage; ++page) {
        const auto data = pattern(kPage, static_cast<uint8_t>(page * 13));
        ASSERT_TRUE(eeprom_write(bus, static_cast<uint16_t>(page * kPage), data).ok()) << "page " << page;
        all.insert(all.end(), data.begin(), data.end());
    }
    auto back = eeprom_read(bus, 0x0000, 512);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back.value(), all);

    // The same through a plain 512-byte read after setting the pointer.
    const std::array<uint8_t, 2> zero{0, 0};
    ASSERT_TRUE(bus.write(kEeprom, zero).ok());
    std::vector<uint8_t> plain(512);
    ASSERT_TRUE(bus.read(kEeprom, plain).ok());
    EXPECT_EQ(plain, all);
}

TEST_F(Cp2112I2c, WritesUpTo61BytesAndRefuses62) {
    std::vector<uint8_t> w{0x03, 0x00};
    const auto data = pattern(59, 0x40);
    w.insert(w.end(), data.begin(), data.end());
    ASSERT_EQ(w.size(), 61u);
    auto ok = retry_while_nack([&] { return bus.write(kEeprom, w); });
    EXPECT_TRUE(ok.ok()) << ok.error().message;

    w.push_back(0xEE);
    auto too_long = bus.write(kEeprom, w);
    ASSERT_FALSE(too_long.ok());
    EXPECT_EQ(too_long.code(), errc(EINVAL));
    // Refused before the bus: the EEPROM is not left busy by it.
    auto after = eeprom_read(bus, 0x0300, 1);
    EXPECT_TRUE(after.ok()) << after.error().message;
}

TEST_F(Cp2112I2c, WriteBeforeReadIsLimitedTo16Bytes) {
    std::vector<uint8_t> out(16, 0x00);
    std::vector<uint8_t> in(2);
    auto ok = retry_while_nack([&] { return bus.write_read(kEeprom, out, in); });
    EXPECT_TRUE(ok.ok()) << ok.error().message;

    out.push_back(0x00);
    auto too_long = bus.write_read(kEeprom, out, in);
    ASSERT_FALSE(too_long.ok());
    EXPECT_EQ(too_long.code(), errc(EINVAL));
}

TEST_F(Cp2112I2c, SequencesTheChipCannotExpressAreNotSupported) {
    uint8_t a[2] = {0, 0}, b[1] = {}, c[1] = {};
    {
        I2cMsg m[3] = {{kEeprom, 0, a}, {kEeprom, I2cMsg::read, b}, {kEeprom, I2cMsg::read, c}};
        auto r = bus.transfer(m);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.code(), errc(EOPNOTSUPP));
    }
    {
        I2cMsg m[2] = {{kEeprom, I2cMsg::read, b}, {kEeprom, 0, a}};  // read then write
        auto r = bus.transfer(m);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.code(), errc(EOPNOTSUPP));
    }
    {
        I2cMsg m[2] = {{kEeprom, 0, a}, {kSensor, I2cMsg::read, b}};  // two targets
        auto r = bus.transfer(m);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.code(), errc(EOPNOTSUPP));
    }
    {
        I2cMsg m[1] = {{kEeprom, 0, {}}};  // zero-length write: no quick command
        auto r = bus.transfer(m);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.code(), errc(EOPNOTSUPP));
    }
    // None of them reached the bus in a way that hurts the next transfer.
    EXPECT_TRUE(eeprom_read(bus, 0, 1).ok());
}

TEST_F(Cp2112I2c, SensorWordAndByteHelpers) {
    // 25.5 degC: 9-bit value 51 in the top bits of the big-endian register,
    // 0x1980; SMBus words are little-endian, so the helper sees 0x8019.
    adapter->set_temperature_millicelsius(25'500);
    auto t = bus.read_word_data(kSensor, 0x00);
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(t.value(), 0x8019);

    ASSERT_TRUE(bus.write_byte_data(kSensor, 0x01, 0x02).ok());
    auto cfg = bus.read_byte_data(kSensor, 0x01);
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    EXPECT_EQ(cfg.value(), 0x02);

    // Pointer write, then a byte read from the pointed register.
    ASSERT_TRUE(bus.write_byte(kSensor, 0x01).ok());
    auto b = bus.read_byte(kSensor);
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(b.value(), 0x02);

    // TOS = 80 degC: register 0x5000, little-endian word 0x0050.
    ASSERT_TRUE(bus.write_word_data(kSensor, 0x03, 0x0050).ok());
    auto tos = bus.read_word_data(kSensor, 0x03);
    ASSERT_TRUE(tos.ok()) << tos.error().message;
    EXPECT_EQ(tos.value(), 0x0050);

    adapter->set_temperature_millicelsius(-10'000);  // -10 degC: 0x1EC (9 bits) << 7 = 0xF600
    EXPECT_EQ(bus.read_word_data(kSensor, 0x00).value(), 0x00F6);
}

TEST_F(Cp2112I2c, EepromByteAndBlockHelpers) {
    // A block as the EEPROM stores it: count, then data.
    const std::vector<uint8_t> block{3, 0xA1, 0xA2, 0xA3};
    ASSERT_TRUE(eeprom_write(bus, 0x0100, block).ok());

    // write_byte_data sets both address bytes; read_byte reads there.
    ASSERT_TRUE(retry_while_nack([&] { return bus.write_byte_data(kEeprom, 0x01, 0x01); }).ok());
    auto b = bus.read_byte(kEeprom);
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(b.value(), 0xA1);

    // A one-byte command leaves the 24C32's pointer where it was: back to
    // 0x0100, then a block read of the count and the data.
    ASSERT_TRUE(bus.write_byte_data(kEeprom, 0x01, 0x00).ok());
    auto blk = bus.read_block_data(kEeprom, 0x01);
    ASSERT_TRUE(blk.ok()) << blk.error().message;
    EXPECT_EQ(blk.value(), (std::vector<uint8_t>{0xA1, 0xA2, 0xA3}));

    ASSERT_TRUE(bus.write_byte_data(kEeprom, 0x01, 0x00).ok());
    std::array<uint8_t, 4> raw{};
    ASSERT_TRUE(bus.read_i2c_block_data(kEeprom, 0x01, raw).ok());
    EXPECT_EQ(std::vector<uint8_t>(raw.begin(), raw.end()), block);

    // Block write: command and count become the two address bytes.
    const std::vector<uint8_t> data{0x5A, 0x5B, 0x5C};
    ASSERT_TRUE(bus.write_block_data(kEeprom, 0x02, data).ok());
    auto back = eeprom_read(bus, 0x0203, data.size());
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back.value(), data);
}

TEST_F(Cp2112I2c, BitrateCanBeReadAndSetWithinTheChipRange) {
    EXPECT_EQ(bus.bitrate().value(), 100'000u);
    ASSERT_TRUE(bus.set_bitrate(400'000).ok());
    EXPECT_EQ(bus.bitrate().value(), 400'000u);
    EXPECT_TRUE(eeprom_read(bus, 0, 16).ok());
    ASSERT_TRUE(bus.set_bitrate(10'000).ok());
    EXPECT_EQ(bus.bitrate().value(), 10'000u);
    EXPECT_TRUE(eeprom_read(bus, 0, 64).ok());

    for (uint32_t bad : {0u, 9'999u, 400'001u, 1'000'000u}) {
        auto r = bus.set_bitrate(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.code(), errc(EINVAL)) << bad;
    }
    EXPECT_EQ(bus.bitrate().value(), 10'000u);
    ASSERT_TRUE(bus.set_bitrate(100'000).ok());
    EXPECT_EQ(bus.bitrate().value(), 100'000u);
}

class Cp2112Version1 : public Cp2112Sim {
protected:
    sim::Options options() const override {
        sim::Options o;
        o.settings["device-version"] = "1";
        return o;
    }
};

TEST_F(Cp2112Version1, HasNoRepeatedStart) {
    EXPECT_FALSE(bus.info().repeated_start);
    const std::array<uint8_t, 2> addr{0, 0};
    std::array<uint8_t, 2> in{};
    auto r = bus.write_read(kEeprom, addr, in);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EOPNOTSUPP));
    // Separate write and read still work.
    ASSERT_TRUE(bus.write(kEeprom, addr).ok());
    EXPECT_TRUE(bus.read(kEeprom, in).ok());
}

}  // namespace
}  // namespace usbio::test
