// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <numeric>
#include <vector>

#include "models/eeprom_24cxx.hpp"

namespace usbio::models {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr uint8_t kAddr = 0x50;

struct Fixture {
    explicit Fixture(std::chrono::microseconds cycle = 0us) {
        Eeprom24cxxConfig c;
        c.write_cycle = cycle;
        eeprom = std::make_shared<Eeprom24cxx>(c);
        bus.attach(kAddr, eeprom);
    }
    I2cResult write(uint16_t at, std::vector<uint8_t> data) {
        data.insert(data.begin(), {uint8_t(at >> 8), uint8_t(at)});
        return bus.write_transaction(kAddr, data).result;
    }
    std::vector<uint8_t> read(uint16_t at, std::size_t n) {
        const std::vector<uint8_t> ptr = {uint8_t(at >> 8), uint8_t(at)};
        auto o = bus.write_read(kAddr, ptr, n);
        EXPECT_EQ(o.result, I2cResult::ok);
        return o.data;
    }
    I2cBus bus;
    std::shared_ptr<Eeprom24cxx> eeprom;
};

TEST(Eeprom24cxx, FreshChipIsErased) {
    Fixture f;
    EXPECT_EQ(f.eeprom->size(), 4096u);
    EXPECT_EQ(f.eeprom->page_size(), 32u);
    EXPECT_EQ(f.eeprom->contents(), std::vector<uint8_t>(4096, 0xFF));
    EXPECT_EQ(f.read(0x123, 4), std::vector<uint8_t>(4, 0xFF));
}

TEST(Eeprom24cxx, InitialContentsArePaddedWithErasedBytes) {
    Eeprom24cxx e({}, {1, 2, 3});
    auto c = e.contents();
    ASSERT_EQ(c.size(), 4096u);
    EXPECT_EQ(c[0], 1);
    EXPECT_EQ(c[2], 3);
    EXPECT_EQ(c[3], 0xFF);
}

TEST(Eeprom24cxx, WriteThenRandomRead) {
    Fixture f;
    ASSERT_EQ(f.write(0x0100, {0xDE, 0xAD, 0xBE, 0xEF}), I2cResult::ok);
    EXPECT_EQ(f.read(0x0100, 4), (std::vector<uint8_t>{0xDE, 0xAD, 0xBE, 0xEF}));
    EXPECT_EQ(f.eeprom->contents()[0x0102], 0xBE);
}

TEST(Eeprom24cxx, PageWriteWrapsWithinThePage) {
    Fixture f;
    // Start 2 bytes before the end of page 1 (0x20..0x3F) and write 4 bytes.
    ASSERT_EQ(f.write(0x003E, {1, 2, 3, 4}), I2cResult::ok);
    auto c = f.eeprom->contents();
    EXPECT_EQ(c[0x3E], 1);
    EXPECT_EQ(c[0x3F], 2);
    EXPECT_EQ(c[0x20], 3);
    EXPECT_EQ(c[0x21], 4);
    EXPECT_EQ(c[0x40], 0xFF);  // the next page is untouched
}

TEST(Eeprom24cxx, MoreThanAPageOverwritesTheStartOfThePage) {
    Fixture f;
    std::vector<uint8_t> data(34);
    std::iota(data.begin(), data.end(), uint8_t(0));
    ASSERT_EQ(f.write(0x0040, data), I2cResult::ok);
    auto c = f.eeprom->contents();
    EXPECT_EQ(c[0x40], 32);
    EXPECT_EQ(c[0x41], 33);
    EXPECT_EQ(c[0x42], 2);
    EXPECT_EQ(c[0x5F], 31);
}

TEST(Eeprom24cxx, SequentialReadWrapsAtTheEndOfMemory) {
    Fixture f;
    ASSERT_EQ(f.write(0x0FFF, {0xAA}), I2cResult::ok);
    ASSERT_EQ(f.write(0x0000, {0xBB, 0xCC}), I2cResult::ok);
    EXPECT_EQ(f.read(0x0FFF, 3), (std::vector<uint8_t>{0xAA, 0xBB, 0xCC}));
}

TEST(Eeprom24cxx, WordAddressIsMaskedToTheMemorySize) {
    Fixture f;
    ASSERT_EQ(f.write(0xF010, {0x5A}), I2cResult::ok);
    EXPECT_EQ(f.eeprom->contents()[0x010], 0x5A);
}

TEST(Eeprom24cxx, CurrentAddressReadContinuesFromTheLastAccess) {
    Fixture f;
    ASSERT_EQ(f.write(0x0200, {1, 2, 3, 4}), I2cResult::ok);
    EXPECT_EQ(f.read(0x0200, 2), (std::vector<uint8_t>{1, 2}));
    auto o = f.bus.read_transaction(kAddr, 2);
    ASSERT_EQ(o.result, I2cResult::ok);
    EXPECT_EQ(o.data, (std::vector<uint8_t>{3, 4}));
}

TEST(Eeprom24cxx, WriteCycleNacksTheAddress) {
    Fixture f(std::chrono::hours(1));
    ASSERT_EQ(f.write(0x0010, {0x42}), I2cResult::ok);
    EXPECT_TRUE(f.eeprom->busy());
    EXPECT_EQ(f.bus.read_transaction(kAddr, 1).result, I2cResult::addr_nack);
    EXPECT_EQ(f.write(0x0011, {0x43}), I2cResult::addr_nack);
    // The data written before the cycle is in the array already.
    EXPECT_EQ(f.eeprom->contents()[0x0010], 0x42);
    EXPECT_EQ(f.eeprom->contents()[0x0011], 0xFF);
}

TEST(Eeprom24cxx, SettingThePointerStartsNoWriteCycle) {
    Fixture f(std::chrono::hours(1));
    const std::vector<uint8_t> ptr = {0x00, 0x10};
    ASSERT_EQ(f.bus.write_transaction(kAddr, ptr).result, I2cResult::ok);
    EXPECT_FALSE(f.eeprom->busy());
    EXPECT_EQ(f.bus.read_transaction(kAddr, 1).result, I2cResult::ok);
}

TEST(Eeprom24cxx, RepeatedStartAbortsAPageWrite) {
    Fixture f(std::chrono::hours(1));
    ASSERT_EQ(f.bus.start(kAddr, false), I2cResult::ok);
    EXPECT_TRUE(f.bus.write(0x00));
    EXPECT_TRUE(f.bus.write(0x20));
    EXPECT_TRUE(f.bus.write(0x99));
    ASSERT_EQ(f.bus.start(kAddr, true), I2cResult::ok);
    EXPECT_EQ(f.bus.read(false), 0xFF);
    f.bus.stop();
    EXPECT_EQ(f.eeprom->contents()[0x20], 0xFF);
    EXPECT_FALSE(f.eeprom->busy());
}

TEST(Eeprom24cxx, AcknowledgesAgainAfterTheWriteCycle) {
    constexpr auto kCycle = 20ms;
    Fixture f(kCycle);
    const auto written = Clock::now();
    ASSERT_EQ(f.write(0x0000, {0x01}), I2cResult::ok);
    // Poll for the ACK as a host does, with a generous limit.
    I2cResult r = I2cResult::addr_nack;
    while (r == I2cResult::addr_nack && Clock::now() - written < 5s) r = f.bus.read_transaction(kAddr, 1).result;
    EXPECT_EQ(r, I2cResult::ok);
    EXPECT_GE(Clock::now() - written, kCycle);
}

TEST(Eeprom24cxx, SetContentsFromTheWorld) {
    Fixture f;
    const std::vector<uint8_t> data = {9, 8, 7};
    f.eeprom->set_contents(0x0FFD, data);
    EXPECT_EQ(f.read(0x0FFD, 3), data);
    EXPECT_THROW(f.eeprom->set_contents(0x0FFE, data), std::out_of_range);
}

}  // namespace
}  // namespace usbio::models

namespace usbio::models {
namespace {

// A one-byte-address part: the word address is one byte, and parts above
// 256 bytes take the block from the low bits of the I2C address.
TEST(Eeprom24cxxParts, A24c16AnswersAtEightAddressesOneBlockEach) {
    auto config = *eeprom_24cxx_part("24c16");
    config.write_cycle = 0us;
    auto part = std::make_shared<Eeprom24cxx>(config);
    I2cBus bus;
    part->attach_to(bus, 0x50);
    EXPECT_EQ(part->addresses(), 8u);
    for (uint8_t block = 0; block < 8; ++block) {
        const std::vector<uint8_t> w = {0x10, uint8_t(0xA0 + block), uint8_t(block)};
        ASSERT_EQ(bus.write_transaction(uint8_t(0x50 + block), w).result, I2cResult::ok);
    }
    EXPECT_EQ(bus.write_transaction(0x58, std::vector<uint8_t>{0}).result, I2cResult::addr_nack);
    const auto mem = part->contents();
    for (unsigned block = 0; block < 8; ++block) {
        EXPECT_EQ(mem[block * 256 + 0x10], 0xA0 + block);
        EXPECT_EQ(mem[block * 256 + 0x11], block);
    }
    const std::vector<uint8_t> at = {0x10};
    EXPECT_EQ(bus.write_read(0x53, at, 2).data, (std::vector<uint8_t>{0xA3, 3}));
}

TEST(Eeprom24cxxParts, PagesOfEachPartWrapAtTheirSize) {
    auto part = std::make_shared<Eeprom24cxx>(*eeprom_24cxx_part("24c02"));  // 8-byte pages
    I2cBus bus;
    part->attach_to(bus, 0x50);
    const std::vector<uint8_t> w = {0x06, 1, 2, 3, 4};  // past the page end at 0x08
    ASSERT_EQ(bus.write_transaction(0x50, w).result, I2cResult::ok);
    const auto mem = part->contents();
    EXPECT_EQ(mem[0x06], 1);
    EXPECT_EQ(mem[0x07], 2);
    EXPECT_EQ(mem[0x00], 3);  // rolled over within the page
    EXPECT_EQ(mem[0x08], 0xFF);
    EXPECT_FALSE(eeprom_24cxx_part("24c1024"));
    EXPECT_EQ(eeprom_24cxx_part("m24c02")->page_size, 16u);
}

TEST(Eeprom24cxxParts, WriteProtectRefusesDataAndWritesNothing) {
    auto config = *eeprom_24cxx_part("24c32");
    config.write_cycle = 0us;
    auto part = std::make_shared<Eeprom24cxx>(config);
    I2cBus bus;
    part->attach_to(bus, 0x50);
    part->set_write_protect(true);
    auto o = bus.write_transaction(0x50, std::vector<uint8_t>{0x00, 0x00, 0x42});
    EXPECT_EQ(o.result, I2cResult::data_nack);
    EXPECT_EQ(o.written, 2u);  // the word address was taken
    EXPECT_EQ(part->contents()[0], 0xFF);
    EXPECT_FALSE(part->busy());
    part->set_write_protect(false);
    EXPECT_EQ(bus.write_transaction(0x50, std::vector<uint8_t>{0x00, 0x00, 0x42}).result, I2cResult::ok);
    EXPECT_EQ(part->contents()[0], 0x42);
}

}  // namespace
}  // namespace usbio::models
