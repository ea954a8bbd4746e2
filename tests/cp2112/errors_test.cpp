// SPDX-License-Identifier: Apache-2.0
// How a simulated CP2112's faults reach the caller: no ACK, stuck bus, slow
// target, malformed reports, and removal while a transfer waits.
#include <array>
#include <future>
#include <thread>

#include "sim_fixture.hpp"

namespace usbio::test {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr uint16_t kEeprom = 0x50;
constexpr uint16_t kSensor = 0x48;

using Cp2112Errors = Cp2112Sim;

Result<uint16_t> read_temperature(I2cBus& bus) { return bus.read_word_data(kSensor, 0x00); }

TEST_F(Cp2112Errors, NoTargetAtTheAddressIsNoAck) {
    const std::array<uint8_t, 1> one{0};
    auto w = bus.write(0x23, one);
    ASSERT_FALSE(w.ok());
    EXPECT_EQ(w.code(), errc(ENXIO));
    EXPECT_NE(w.error().message.find("0x23"), std::string::npos) << w.error().message;

    std::array<uint8_t, 4> in{};
    auto r = bus.read(0x23, in);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(ENXIO));
    EXPECT_TRUE(read_temperature(bus).ok());
}

TEST_F(Cp2112Errors, NackingTargetIsNoAckUntilItRecovers) {
    adapter->set_nack(kSensor, true);
    auto t = read_temperature(bus);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.code(), errc(ENXIO));
    EXPECT_TRUE(dev.present());  // a NACK is not a reason to drop the adapter
    adapter->set_nack(kSensor, false);
    EXPECT_TRUE(read_temperature(bus).ok());
}

TEST_F(Cp2112Errors, StuckBusTimesOutAndRecovers) {
    adapter->set_bus_stuck(true);
    const auto start = Clock::now();
    auto t = read_temperature(bus);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.code(), errc(ETIMEDOUT)) << t.error().message;
    EXPECT_LT(Clock::now() - start, 5s);

    const std::array<uint8_t, 2> w{0x01, 0x00};
    auto wr = bus.write(kSensor, w);
    ASSERT_FALSE(wr.ok());
    EXPECT_EQ(wr.code(), errc(ETIMEDOUT));

    adapter->set_bus_stuck(false);
    EXPECT_TRUE(read_temperature(bus).ok());
}

TEST_F(Cp2112Errors, SlowTargetWithinTheDeadlineSucceeds) {
    adapter->set_slow(40ms);
    adapter->set_temperature_millicelsius(20'000);
    const auto start = Clock::now();
    auto t = read_temperature(bus);
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(t.value(), 0x0014);  // 20 degC = 0x1400 big-endian on the bus
    // The driver did wait out the busy time rather than miss it.
    EXPECT_GE(Clock::now() - start, 40ms);
    adapter->set_slow(0us);
}

TEST_F(Cp2112Errors, SlowTargetOnALongReadSucceeds) {
    adapter->set_slow(30ms);
    std::vector<uint8_t> in(512);
    const std::array<uint8_t, 2> addr{0, 0};
    auto r = retry_while_nack([&] { return bus.write_read(kEeprom, addr, in); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    adapter->set_slow(0us);
}

class Cp2112Malformed : public Cp2112Sim, public ::testing::WithParamInterface<std::string> {};

TEST_P(Cp2112Malformed, IsAProtocolErrorAndTheNextCallWorks) {
    const std::string kind = GetParam();
    adapter->set_temperature_millicelsius(30'000);

    // A write: its only input report is the transfer status.
    ASSERT_TRUE(adapter->inject_fault(kind).ok());
    const std::array<uint8_t, 2> w{0x01, 0x00};
    auto wr = bus.write(kSensor, w);
    ASSERT_FALSE(wr.ok());
    EXPECT_TRUE(wr.code() == errc(EPROTO) || wr.code() == errc(EIO)) << wr.error().message;
    EXPECT_TRUE(dev.present());
    ASSERT_TRUE(bus.write(kSensor, w).ok());

    // A read: status first, then data; break every report of one read.
    ASSERT_TRUE(adapter->inject_fault(kind, 8).ok());
    auto bad = read_temperature(bus);
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.code() == errc(EPROTO) || bad.code() == errc(EIO)) << bad.error().message;
    // Whatever was left of the broken ones is consumed by failing calls; the
    // driver must come back to a working state within a few calls.
    Result<uint16_t> good = read_temperature(bus);
    for (int i = 0; i < 8 && !good.ok(); ++i) good = read_temperature(bus);
    ASSERT_TRUE(good.ok()) << good.error().message;
    EXPECT_EQ(good.value(), 0x001E);

    // Reads of data (not only status) survive it too.
    std::vector<uint8_t> in(200);
    const std::array<uint8_t, 2> addr{0, 0};
    for (unsigned skip = 1; skip <= 4; ++skip) {
        ASSERT_TRUE(adapter->inject_fault(kind, 1).ok());
        auto r = bus.write_read(kEeprom, addr, in);  // may fail, must not crash
        (void)r;
        auto ok = retry_while_nack([&] { return bus.write_read(kEeprom, addr, in); });
        ASSERT_TRUE(ok.ok()) << ok.error().message;
    }
}

INSTANTIATE_TEST_SUITE_P(Kinds, Cp2112Malformed,
                         ::testing::Values("short-report", "bad-length", "bad-status", "wrong-report-id"),
                         [](const auto& info) {
                             std::string name = info.param;
                             for (char& c : name)
                                 if (c == '-') c = '_';
                             return name;
                         });

TEST_F(Cp2112Errors, RemovalWakesATransferWaitingOnABusyChip) {
    // The chip stays busy far longer than the test waits: only the removal
    // can end the call early, and it must end it with ENODEV.
    adapter->set_slow(10s);
    const uint64_t before = adapter->transfer_count();
    auto pending = std::async(std::launch::async, [this] { return read_temperature(bus); });
    // Wait (bounded) until the driver is polling the busy chip.
    const auto until = Clock::now() + 5s;
    while (adapter->transfer_count() < before + 3 && Clock::now() < until) std::this_thread::yield();
    ASSERT_GE(adapter->transfer_count(), before + 3);

    const auto start = Clock::now();
    dev.remove();
    ASSERT_EQ(pending.wait_for(5s), std::future_status::ready);
    auto r = pending.get();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(ENODEV)) << r.error().message;
    EXPECT_LT(Clock::now() - start, 2s);
    EXPECT_EQ(dev.state(), DeviceState::gone);
    adapter->set_slow(0us);
}

TEST_F(Cp2112Errors, UnplugMidTransferIsDeviceGone) {
    // Inside the first transfer below: at its status poll, or (Auto Send
    // Read, with no poll) at its request.
    adapter->unplug_at_transfer(USBIO_TEST_CP2112_VERSION >= 3 ? 1 : 3);
    auto r = read_temperature(bus);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(ENODEV)) << r.error().message;
    EXPECT_TRUE(dev.wait_gone(5s));
    EXPECT_FALSE(adapter->plugged());

    // The hardware survives: plug it back and it works again.
    auto again = adapter->plug();
    ASSERT_TRUE(again.ok()) << again.error().message;
    auto bus2 = again->i2c_bus();
    ASSERT_TRUE(bus2.ok());
    auto t = read_temperature(bus2.value());
    EXPECT_TRUE(t.ok()) << t.error().message;
}

TEST_F(Cp2112Errors, UnplugDuringProbeFailsThePlug) {
    adapter->unplug();
    ASSERT_TRUE(dev.wait_gone(5s));
    adapter->unplug_at_transfer(2);  // counted from the next plug
    auto r = adapter->plug();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(ENODEV)) << r.error().message;
    EXPECT_FALSE(adapter->plugged());
    EXPECT_TRUE(ctx.devices().empty());
    auto ok = adapter->plug();
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(ctx.devices().size(), 1u);
}

TEST_F(Cp2112Errors, ConcurrentI2cAndGpioCallsAllSucceed) {
    LineConfig lc;
    lc.offset = 0;
    lc.settings.direction = Direction::output;
    RequestConfig rc;
    rc.lines = {lc};
    auto req = gpio.request_lines(rc);
    ASSERT_TRUE(req.ok()) << req.error().message;
    adapter->set_temperature_millicelsius(21'000);

    constexpr int kRounds = 40;
    auto i2c_worker = [this] {
        int ok = 0;
        for (int i = 0; i < kRounds; ++i) {
            auto t = read_temperature(bus);
            if (t.ok() && t.value() == 0x0015) ++ok;
        }
        return ok;
    };
    auto gpio_worker = [&req] {
        int ok = 0;
        for (int i = 0; i < kRounds; ++i) {
            if (req->set_value(0, i & 1).ok() && req->get_value(0).ok()) ++ok;
        }
        return ok;
    };
    auto a = std::async(std::launch::async, i2c_worker);
    auto b = std::async(std::launch::async, i2c_worker);
    auto c = std::async(std::launch::async, gpio_worker);
    EXPECT_EQ(a.get(), kRounds);
    EXPECT_EQ(b.get(), kRounds);
    EXPECT_EQ(c.get(), kRounds);
}

}  // namespace
}  // namespace usbio::test
