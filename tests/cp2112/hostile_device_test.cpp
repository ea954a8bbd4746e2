// SPDX-License-Identifier: Apache-2.0
// A CP2112 that misbehaves: late replies, a silent or always-busy chip,
// IN transfers that end cancelled, stray reports, one byte per report, and
// control transfers that never end. Every call ends within its bound, and
// no reply is ever handed to a request it does not belong to.
#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "chip_rig.hpp"

namespace usbio::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Fault = usb::SimTransport::EndpointFault;

constexpr uint8_t kReadResponse = 0x13;
constexpr uint8_t kStatusResponse = 0x16;
constexpr uint8_t kForceSend = 0x12;
constexpr uint8_t kStatusRequest = 0x15;
constexpr uint8_t kCancel = 0x17;

// EEPROM bytes a read of the EEPROM returns: never what the sensor says.
const std::vector<uint8_t> kEepromBytes{0xA5, 0x5A};

class Hostile : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(rig.chip);
        rig.model->eeprom()->set_contents(0, kEepromBytes);
        rig.model->set_temperature_millicelsius(kSensorMilliC);
    }

    // Reads the sensor, which must work and say 22 degC.
    void expect_sensor_reads_right(const char* when) {
        std::vector<uint8_t> got;
        const auto ec = rig.read(kSensor, 2, got);
        ASSERT_FALSE(ec) << when << ": " << ec.message();
        EXPECT_EQ(got, kSensorBytes) << when;
    }

    ChipRig rig;
};

// A late Data Read Response must not become the next read's data. The
// EEPROM read's data report comes 960 ms late (the read gives up after
// about 790 ms), and it turns up just as the sensor read asks for its own
// data: had the driver been waiting, it would take it.
TEST_F(Hostile, LateDataIsNeverTakenForTheNextReadsData) {
    rig.model->delay_next_report(kReadResponse, 960ms, kForceSend);
    std::vector<uint8_t> a;
    const auto start = Clock::now();
    const auto ea = rig.read(kEeprom, 2, a);
    ASSERT_EQ(ea, errc(ETIMEDOUT)) << ea.message();
    EXPECT_LT(Clock::now() - start, kSmallReadBudget + kSchedulingSlack);

    std::vector<uint8_t> b;
    const auto eb = rig.read(kSensor, 2, b);
    if (!eb) {
        EXPECT_EQ(b, kSensorBytes) << "the sensor read returned the EEPROM's late bytes";
    }
    expect_sensor_reads_right("the call after");
}

// The late reply comes out when the driver cancels the abandoned read.
TEST_F(Hostile, LateDataReleasedByTheCancelIsDiscarded) {
    rig.model->delay_next_report(kReadResponse, 10s, kCancel);
    std::vector<uint8_t> a;
    ASSERT_EQ(rig.read(kEeprom, 2, a), errc(ETIMEDOUT));
    std::vector<uint8_t> b;
    const auto eb = rig.read(kSensor, 2, b);
    if (!eb) {
        EXPECT_EQ(b, kSensorBytes);
    }
    expect_sensor_reads_right("the call after");
}

// A late transfer status must not be read as the next transfer's outcome.
// The write's "complete" turns up as the sensor read polls its own
// transfer, which is still busy: taken for its own, the read would fetch
// data the chip does not have yet.
TEST_F(Hostile, LateStatusIsNeverTakenForTheNextTransfersStatus) {
    rig.model->delay_next_report(kStatusResponse, 900ms, kStatusRequest);
    ASSERT_EQ(rig.write(kEeprom, {0x00, 0x01}), errc(ETIMEDOUT));
    rig.model->set_slow(30ms);
    std::vector<uint8_t> b;
    const auto eb = rig.read(kSensor, 2, b);
    ASSERT_FALSE(eb) << "the sensor read took the write's status for its own: " << eb.message();
    EXPECT_EQ(b, kSensorBytes);
    rig.model->set_slow(0us);
    expect_sensor_reads_right("the call after");
}

// The interrupt IN transfer keeps completing cancelled: the call fails
// within its budget, without re-submitting it in a loop.
TEST_F(Hostile, InTransfersEndingCancelledForeverFailWithinTheBudget) {
    rig.transport->set_endpoint_fault(0x81, Fault::cancelled);
    const uint64_t before = rig.transport->transfer_count();
    std::vector<uint8_t> got;
    const auto start = Clock::now();
    const auto ec = rig.read(kSensor, 2, got);
    const auto took = Clock::now() - start;
    const uint64_t submitted = rig.transport->transfer_count() - before;
    ASSERT_TRUE(ec == errc(EIO) || ec == errc(ETIMEDOUT)) << ec.message();
    EXPECT_LT(took, kSmallReadBudget + kSchedulingSlack);
    // The request, a status request, a cancel and an IN transfer or two.
    EXPECT_LE(submitted, 8u);
    RecordProperty("transfers_submitted", static_cast<int>(submitted));

    const uint64_t again = rig.transport->transfer_count();
    EXPECT_TRUE(rig.read(kSensor, 2, got));
    EXPECT_LE(rig.transport->transfer_count() - again, 8u);

    rig.transport->set_endpoint_fault(0x81, Fault::none);
    expect_sensor_reads_right("once IN transfers work again");
}

// A chip that answers nothing on its IN endpoint.
TEST_F(Hostile, SilentDeviceTimesOutWithinTheBudgetAndRecovers) {
    rig.model->set_silent(true);
    for (int i = 0; i < 2; ++i) {
        std::vector<uint8_t> got;
        const auto start = Clock::now();
        const auto ec = rig.read(kSensor, 2, got);
        EXPECT_EQ(ec, errc(ETIMEDOUT)) << ec.message();
        EXPECT_LT(Clock::now() - start, kSmallReadBudget + kSchedulingSlack);
    }
    rig.model->set_silent(false);
    expect_sensor_reads_right("once the chip answers again");
}

TEST_F(Hostile, AlwaysBusyTimesOutWithinTheBudget) {
    rig.model->set_slow(1h);
    std::vector<uint8_t> got;
    const auto start = Clock::now();
    const auto ec = rig.read(kSensor, 2, got);
    const auto took = Clock::now() - start;
    EXPECT_EQ(ec, errc(ETIMEDOUT)) << ec.message();
    EXPECT_GE(took, kSmallReadBudget - 10ms);  // it did wait for the chip
    EXPECT_LT(took, kSmallReadBudget + kSchedulingSlack);
    rig.model->set_slow(0us);
    expect_sensor_reads_right("once the chip is quick again");
}

// Data and status reports nobody asked for, sent while the chip is idle.
TEST_F(Hostile, StrayReportsAreNeverTakenForData) {
    std::vector<uint8_t> stray_data(64, 0);
    stray_data[0] = kReadResponse;
    stray_data[1] = 0x02;  // complete
    stray_data[2] = 2;
    stray_data[3] = 0xEE;
    stray_data[4] = 0xEE;
    const std::vector<uint8_t> stray_status{kStatusResponse, 0x02, 0x05, 0, 0, 0, 2};
    for (int round = 0; round < 3; ++round) {
        rig.model->send_unsolicited(stray_data, 20);
        rig.model->send_unsolicited(stray_status, 20);
        // Wait (bounded) until the host has taken them off the chip.
        const auto until = Clock::now() + 5s;
        while (rig.model->pending_input_reports() != 0 && Clock::now() < until) std::this_thread::yield();
        ASSERT_EQ(rig.model->pending_input_reports(), 0u);
        uint64_t levels = 0;
        ASSERT_FALSE(rig.chip->get(0xFF, levels));  // one control round trip behind them
        std::vector<uint8_t> got;
        const auto ec = rig.read(kSensor, 2, got);
        if (!ec) {
            EXPECT_EQ(got, kSensorBytes) << "round " << round;
        }
    }
    expect_sensor_reads_right("after the strays");
}

// Every Data Read Response carries a single byte.
TEST_F(Hostile, OneBytePerReportStillReadsEveryByte) {
    std::vector<uint8_t> pattern(32);
    for (std::size_t i = 0; i < pattern.size(); ++i) pattern[i] = static_cast<uint8_t>(0x40 + i * 3);
    rig.model->eeprom()->set_contents(0x100, pattern);
    rig.model->set_max_read_chunk(1);
    std::vector<uint8_t> got;
    const auto ec = rig.write_read(kEeprom, {0x01, 0x00}, pattern.size(), got);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(got, pattern);
}

// Control transfers that end neither by themselves nor when cancelled:
// opening the chip fails in bounded time and says what it was doing.
TEST(HostileOpen, ControlTransfersThatNeverEndFailTheOpen) {
    auto model = std::make_shared<models::Cp2112Model>();
    auto t = std::make_unique<usb::SimTransport>(model, "sim:stuck");
    t->set_endpoint_fault(0, Fault::unresponsive);
    const auto start = Clock::now();
    auto opened = cp2112::Chip::open(std::move(t), "cp2112 [sim:stuck]");
    const auto took = Clock::now() - start;
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.code(), errc(ETIMEDOUT)) << opened.error().message;
    EXPECT_NE(opened.error().message.find("cp2112 [sim:stuck]"), std::string::npos) << opened.error().message;
    EXPECT_NE(opened.error().message.find("version"), std::string::npos) << opened.error().message;
    // The transport's own timeout (1 s), then its cancel grace, then ours.
    EXPECT_LT(took, 3s);
}

}  // namespace
}  // namespace usbio::test
