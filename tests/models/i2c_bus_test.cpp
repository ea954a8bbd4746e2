// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "models/i2c_bus.hpp"

namespace usbio::models {
namespace {

// Records what the bus tells it; reads count up from `next`.
class Recorder : public I2cTarget {
public:
    bool address(bool read) override {
        log += read ? "R" : "W";
        return ack_address;
    }
    bool write_byte(uint8_t b) override {
        written.push_back(b);
        return written.size() <= accept_bytes;
    }
    uint8_t read_byte(bool master_ack) override {
        log += master_ack ? "a" : "n";
        return next++;
    }
    void stop() override { log += "P"; }
    void restart() override { log += "S"; }

    std::string log;
    std::vector<uint8_t> written;
    std::size_t accept_bytes = 1000;
    bool ack_address = true;
    uint8_t next = 0x10;
};

TEST(I2cBus, WriteTransactionReachesTheTarget) {
    I2cBus bus;
    auto t = std::make_shared<Recorder>();
    bus.attach(0x20, t);
    const std::vector<uint8_t> data = {1, 2, 3};
    auto o = bus.write_transaction(0x20, data);
    EXPECT_EQ(o.result, I2cResult::ok);
    EXPECT_EQ(o.written, 3u);
    EXPECT_EQ(t->written, data);
    EXPECT_EQ(t->log, "WP");
}

TEST(I2cBus, ReadTransactionNacksTheLastByte) {
    I2cBus bus;
    auto t = std::make_shared<Recorder>();
    bus.attach(0x20, t);
    auto o = bus.read_transaction(0x20, 3);
    EXPECT_EQ(o.result, I2cResult::ok);
    EXPECT_EQ(o.data, (std::vector<uint8_t>{0x10, 0x11, 0x12}));
    EXPECT_EQ(t->log, "RaanP");
}

TEST(I2cBus, WriteReadUsesRepeatedStartOrStopStart) {
    I2cBus bus;
    auto t = std::make_shared<Recorder>();
    bus.attach(0x20, t);
    const std::vector<uint8_t> reg = {0x05};
    auto o = bus.write_read(0x20, reg, 2);
    EXPECT_EQ(o.result, I2cResult::ok);
    EXPECT_EQ(o.data.size(), 2u);
    EXPECT_EQ(t->log, "WSRanP");

    t->log.clear();
    o = bus.write_read(0x20, reg, 1, /*repeated_start=*/false);
    EXPECT_EQ(o.result, I2cResult::ok);
    EXPECT_EQ(t->log, "WPRnP");
}

TEST(I2cBus, AbsentAddressIsNacked) {
    I2cBus bus;
    const std::vector<uint8_t> data = {1};
    EXPECT_EQ(bus.write_transaction(0x33, data).result, I2cResult::addr_nack);
    EXPECT_EQ(bus.read_transaction(0x33, 1).result, I2cResult::addr_nack);
    // Byte level: a master that goes on anyway sees NACKs and a floating SDA.
    EXPECT_EQ(bus.start(0x33, true), I2cResult::addr_nack);
    EXPECT_EQ(bus.read(false), 0xFF);
    bus.stop();
}

TEST(I2cBus, SetNackSilencesOneTargetUntilCleared) {
    I2cBus bus;
    auto a = std::make_shared<Recorder>();
    auto b = std::make_shared<Recorder>();
    bus.attach(0x20, a);
    bus.attach(0x21, b);
    bus.set_nack(0x20, true);
    EXPECT_EQ(bus.read_transaction(0x20, 1).result, I2cResult::addr_nack);
    EXPECT_EQ(a->log, "");  // the target never saw its address
    EXPECT_EQ(bus.read_transaction(0x21, 1).result, I2cResult::ok);
    bus.set_nack(0x20, false);
    EXPECT_EQ(bus.read_transaction(0x20, 1).result, I2cResult::ok);
}

TEST(I2cBus, TargetRefusingDataGivesDataNack) {
    I2cBus bus;
    auto t = std::make_shared<Recorder>();
    t->accept_bytes = 2;
    bus.attach(0x20, t);
    const std::vector<uint8_t> data = {1, 2, 3, 4};
    auto o = bus.write_transaction(0x20, data);
    EXPECT_EQ(o.result, I2cResult::data_nack);
    EXPECT_EQ(o.written, 2u);
    EXPECT_EQ(t->written.size(), 3u);  // the master stops after the NACKed byte
    EXPECT_EQ(t->log, "WP");
}

TEST(I2cBus, TargetRefusingItsAddressIsNacked) {
    I2cBus bus;
    auto t = std::make_shared<Recorder>();
    t->ack_address = false;
    bus.attach(0x20, t);
    EXPECT_EQ(bus.read_transaction(0x20, 1).result, I2cResult::addr_nack);
}

TEST(I2cBus, StuckBusFailsEveryTransaction) {
    I2cBus bus;
    auto t = std::make_shared<Recorder>();
    bus.attach(0x20, t);
    bus.set_stuck(true);
    EXPECT_TRUE(bus.stuck());
    const std::vector<uint8_t> data = {1};
    EXPECT_EQ(bus.write_transaction(0x20, data).result, I2cResult::bus_stuck);
    EXPECT_EQ(bus.read_transaction(0x20, 1).result, I2cResult::bus_stuck);
    EXPECT_EQ(bus.write_read(0x20, data, 1).result, I2cResult::bus_stuck);
    EXPECT_EQ(bus.start(0x20, false), I2cResult::bus_stuck);
    EXPECT_EQ(t->log, "");
    bus.set_stuck(false);
    EXPECT_EQ(bus.read_transaction(0x20, 1).result, I2cResult::ok);
}

TEST(I2cBus, ByteLevelMasterDrivesTheTarget) {
    I2cBus bus;
    auto t = std::make_shared<Recorder>();
    bus.attach(0x20, t);
    ASSERT_EQ(bus.start(0x20, false), I2cResult::ok);
    EXPECT_TRUE(bus.write(0xAB));
    ASSERT_EQ(bus.start(0x20, true), I2cResult::ok);
    EXPECT_EQ(bus.read(true), 0x10);
    EXPECT_EQ(bus.read(false), 0x11);
    bus.stop();
    EXPECT_EQ(t->written, (std::vector<uint8_t>{0xAB}));
    EXPECT_EQ(t->log, "WSRanP");
    // Bytes outside a transaction go nowhere.
    EXPECT_FALSE(bus.write(0x01));
}

TEST(I2cBus, DetachRemovesTheTarget) {
    I2cBus bus;
    auto t = std::make_shared<Recorder>();
    bus.attach(0x20, t);
    EXPECT_EQ(bus.target(0x20), t);
    bus.detach(0x20);
    EXPECT_EQ(bus.target(0x20), nullptr);
    EXPECT_EQ(bus.read_transaction(0x20, 1).result, I2cResult::addr_nack);
}

}  // namespace
}  // namespace usbio::models
