// SPDX-License-Identifier: Apache-2.0
// The FTDI driver's I2C against the chip model: every transfer shape, the
// check modes, NACKs at every position, rates, recovery and a hostile
// reply stream. The model checks the waveform, so every test also expects
// no protocol violation.
#include <gtest/gtest.h>

#include <thread>

#include "ftdi_rig.hpp"
#include "models/eeprom_24cxx.hpp"
#include "sim/shared_transport.hpp"

namespace usbio::test {
namespace {

using ftdi::AckCheck;
using models::FtdiKind;

// A target that ACKs its address and NACKs written byte `nack_at`,
// counting every byte it is sent.
class NackAt final : public models::I2cTarget {
public:
    explicit NackAt(std::size_t nack_at) : nack_at_(nack_at) {}
    bool address(bool) override { return true; }
    bool write_byte(uint8_t) override { return received_++ != nack_at_; }
    uint8_t read_byte(bool) override { return 0x5A; }
    void stop() override {}
    std::size_t received() const { return received_; }

private:
    std::size_t nack_at_;
    std::size_t received_ = 0;
};

TEST(FtdiDriver, OpenSetsUpTheMpsse) {
    FtdiRig r;
    ASSERT_TRUE(r.chip);
    EXPECT_TRUE(r.model->mpsse(0));
    EXPECT_TRUE(r.model->three_phase(0));
    EXPECT_EQ(r.model->divisor(0), 199);
    EXPECT_EQ(r.model->latency_ms(0), 1);
    EXPECT_EQ(r.chip->clock().bus_hz, 100'000u);
    EXPECT_EQ(r.model->pin_levels(0) & 0x07, 0x07) << "bus idle after set-up";
    EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
}

TEST(FtdiDriver, WriteThenReadBackWithRepeatedStart) {
    for (auto kind : {FtdiKind::ft232h, FtdiKind::ft2232h, FtdiKind::ft4232h}) {
        for (unsigned port = 0; port < (kind == FtdiKind::ft232h ? 1u : 2u); ++port) {
            FtdiRig r(kind, port);
            ASSERT_TRUE(r.chip);
            ASSERT_FALSE(r.write(0x50, {0x01, 0x00, 0xDE, 0xAD, 0xBE, 0xEF}));
            Bytes got;
            ASSERT_FALSE(r.write_read(0x50, {0x01, 0x00}, 4, got));
            EXPECT_EQ(got, (Bytes{0xDE, 0xAD, 0xBE, 0xEF})) << "kind " << int(kind) << " port " << port;
            EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
        }
    }
}

TEST(FtdiDriver, BothPortsOfADualChipWorkAtOnce) {
    for (auto kind : {FtdiKind::ft2232h, FtdiKind::ft4232h}) {
        auto model = std::make_shared<models::FtdiChipModel>(
            models::FtdiOptions{kind, "DUAL1", true, true, std::chrono::microseconds(0)});
        std::unique_ptr<ftdi::Chip> chips[2];
        for (unsigned p = 0; p < 2; ++p) {
            auto opened = ftdi::Chip::open(std::make_unique<usb::SimTransport>(model->port(p), "sim:dual"), "dual");
            ASSERT_TRUE(opened.ok()) << opened.error().message;
            chips[p] = std::move(opened).value();
            EXPECT_EQ(chips[p]->port(), p);
            model->eeprom(p)->set_contents(0, Bytes{static_cast<uint8_t>(0xA0 + p)});
        }
        std::error_code results[2];
        auto run = [&](unsigned p) {
            for (int i = 0; i < 50 && !results[p]; ++i) {
                Bytes a{0, 0}, got(1);
                I2cMsg m[2] = {{0x50, 0, a}, {0x50, I2cMsg::read, got}};
                results[p] = chips[p]->transfer(m);
                if (!results[p] && got[0] != 0xA0 + p) results[p] = errc(EIO);  // the other port's bus
                if (!results[p]) results[p] = chips[p]->set(1u << p, i & 1);
            }
        };
        std::thread b(run, 1);
        run(0);
        b.join();
        EXPECT_FALSE(results[0]) << results[0].message();
        EXPECT_FALSE(results[1]) << results[1].message();
        EXPECT_TRUE(model->violations(0).empty()) << joined(model->violations(0));
        EXPECT_TRUE(model->violations(1).empty()) << joined(model->violations(1));
    }
}

TEST(FtdiDriver, ManyMessagesInOneTransferAndOneBulkWrite) {
    FtdiRig r;
    r.model->sensor(0)->set_temperature_millicelsius(25'000);
    r.model->eeprom(0)->set_contents(0x10, Bytes{1, 2, 3});
    Bytes ptr{0x00, 0x10}, ee(3), temp_reg{0x00}, temp(2);
    I2cMsg m[4] = {{0x50, 0, ptr}, {0x50, I2cMsg::read, ee}, {0x48, 0, temp_reg}, {0x48, I2cMsg::read, temp}};
    const uint64_t before = r.chip->bulk_writes();
    ASSERT_FALSE(r.chip->transfer(m));
    EXPECT_EQ(r.chip->bulk_writes() - before, 1u);
    EXPECT_EQ(ee, (Bytes{1, 2, 3}));
    EXPECT_EQ(temp, (Bytes{0x19, 0x00}));
    EXPECT_EQ(r.model->stops(0), 1u) << "one STOP, at the end";
    EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
}

TEST(FtdiDriver, RoundTripsPerTransferByCheckMode) {
    FtdiRig r;
    const Bytes page(33, 0x11);  // address word + 31 data bytes: a 32-byte-after-address write
    struct Case {
        AckCheck check;
        uint64_t write_rounds;
        uint64_t read_rounds;
    } cases[] = {{AckCheck::at_end, 1, 1}, {AckCheck::after_address, 2, 2}, {AckCheck::each_byte, 34, 5}};
    for (const auto& c : cases) {
        r.chip->set_ack_check(c.check);
        Bytes w = page;
        w[0] = 0x00;
        w[1] = 0x40;
        uint64_t before = r.chip->bulk_writes();
        // The EEPROM's write cycle is 0 here: no NACK while it programs.
        ASSERT_FALSE(r.write(0x50, w));
        EXPECT_EQ(r.chip->bulk_writes() - before, c.write_rounds) << "check " << int(c.check);
        before = r.chip->bulk_writes();
        Bytes got;
        ASSERT_FALSE(r.write_read(0x50, {0x00, 0x40}, 256, got));
        EXPECT_EQ(r.chip->bulk_writes() - before, c.read_rounds) << "check " << int(c.check);
        EXPECT_EQ(got[0], 0x11);
    }
    EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
}

// A USB link with some milliseconds of latency on every bulk OUT (a busy
// host, a hub, an emulated bus).
class SlowOut final : public sim::SharedTransport {
public:
    SlowOut(std::shared_ptr<usb::Transport> inner, std::chrono::milliseconds delay)
        : SharedTransport(std::move(inner)), delay_(delay) {}
    usb::TransferId submit(usb::TransferRequest req, usb::Completion done) override {
        if (req.type == usb::TransferType::bulk && !(req.endpoint & usb::kDirIn)) std::this_thread::sleep_for(delay_);
        return SharedTransport::submit(std::move(req), std::move(done));
    }

private:
    std::chrono::milliseconds delay_;
};

// each_byte makes one round trip per written byte; the time a transfer is
// allowed grows with them, so a slow link makes it slow, not ETIMEDOUT.
// 101 rounds at 8 ms or more each outlast a budget counted in FIFO rounds
// (about 540 ms for this transfer).
TEST(FtdiDriver, EachByteTimeLimitGrowsWithItsRoundTrips) {
    auto model = std::make_shared<models::FtdiChipModel>(
        models::FtdiOptions{FtdiKind::ft232h, "SLOW1", true, true, std::chrono::microseconds(0)});
    auto sim = std::make_shared<usb::SimTransport>(model->port(0), "sim:slow");
    auto opened =
        ftdi::Chip::open(std::make_unique<SlowOut>(std::move(sim), std::chrono::milliseconds(8)), "ftdi [sim:slow]");
    ASSERT_TRUE(opened) << opened.error().message;
    auto chip = std::move(opened).value();
    ASSERT_FALSE(chip->set_ack_check(AckCheck::each_byte));
    Bytes w(100, 0x3C);
    w[0] = 0x02;
    w[1] = 0x00;
    I2cMsg m{0x50, 0, std::span<uint8_t>(w)};
    const uint64_t before = chip->bulk_writes();
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(chip->transfer(std::span<I2cMsg>(&m, 1)));
    EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(808));
    EXPECT_EQ(chip->bulk_writes() - before, 101u);
    EXPECT_TRUE(model->violations(0).empty()) << joined(model->violations(0));
}

// A chip that stops answering on its bulk IN and on endpoint 0 is being
// unplugged: the call waits (bounded) for the removal to reach abort_io()
// and says ENODEV, not the error the unplug caused. Without a removal it
// gives that error after the wait.
TEST(FtdiDriver, FailureThatIsTheUnplugIsEnodev) {
    for (bool removed : {true, false}) {
        FtdiRig r;
        r.transport->set_endpoint_fault(0x81, usb::SimTransport::EndpointFault::cancelled);
        r.transport->set_endpoint_fault(0, usb::SimTransport::EndpointFault::cancelled);
        std::thread removal;
        // The removal comes later than the failure, as hotplug does.
        if (removed)
            removal = std::thread([&r] {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                r.chip->abort_io();
            });
        Bytes got;
        const auto t0 = std::chrono::steady_clock::now();
        const std::error_code ec = r.read(0x50, 4, got);
        const auto took = std::chrono::steady_clock::now() - t0;
        if (removal.joinable()) removal.join();
        if (removed) {
            EXPECT_EQ(ec, errc(ENODEV));
            EXPECT_LT(took, std::chrono::milliseconds(900));
        } else {
            ASSERT_TRUE(ec);
            EXPECT_NE(ec, errc(ENODEV));
            EXPECT_GE(took, std::chrono::milliseconds(1000));
            EXPECT_LT(took, std::chrono::seconds(5));
        }
    }
}

TEST(FtdiDriver, LongReadIsCutToTheReplyFifo) {
    FtdiRig r;
    Bytes image(4096);
    for (std::size_t i = 0; i < image.size(); ++i) image[i] = static_cast<uint8_t>(i * 7);
    r.model->eeprom(0)->set_contents(0, image);
    const uint64_t before = r.chip->bulk_writes();
    Bytes got;
    ASSERT_FALSE(r.write_read(0x50, {0x00, 0x00}, 4096, got));
    EXPECT_EQ(got, image);
    EXPECT_EQ(r.chip->bulk_writes() - before, 5u);  // 4 KiB + ACKs through a 1 KiB FIFO
    EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
}

TEST(FtdiDriver, AddressNackIsEnxio) {
    FtdiRig r;
    for (auto check : {AckCheck::at_end, AckCheck::after_address, AckCheck::each_byte}) {
        r.chip->set_ack_check(check);
        EXPECT_EQ(r.write(0x23, {1, 2, 3}), errc(ENXIO));
        EXPECT_EQ(r.chip->last_failure().describe(), "address 0x23 not acknowledged");
        Bytes got;
        EXPECT_EQ(r.read(0x23, 2, got), errc(ENXIO));
        r.model->bus(0)->set_nack(0x50, true);
        EXPECT_EQ(r.write_read(0x50, {0, 0}, 1, got), errc(ENXIO));
        r.model->bus(0)->set_nack(0x50, false);
        ASSERT_FALSE(r.write_read(0x50, {0, 0}, 1, got));
    }
    EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
}

TEST(FtdiDriver, DataNackIsEioNamingTheByteAtEveryPosition) {
    for (auto check : {AckCheck::at_end, AckCheck::each_byte}) {
        for (std::size_t k = 0; k < 8; ++k) {
            FtdiRig r;
            r.chip->set_ack_check(check);
            auto target = std::make_shared<NackAt>(k);
            r.model->bus(0)->attach(0x30, target);
            EXPECT_EQ(r.write(0x30, Bytes(8, 0xA5)), errc(EIO));
            const auto f = r.chip->last_failure();
            EXPECT_EQ(f.index, k);
            EXPECT_EQ(f.addr, 0x30);
            EXPECT_EQ(r.chip->failure_detail(), "byte " + std::to_string(k) + " of message 0 to 0x30 not acknowledged");
            // at_end clocks every byte (MPSSE cannot stop); each_byte stops
            // at the NACK.
            EXPECT_EQ(target->received(), check == AckCheck::at_end ? 8u : k + 1) << "k " << k;
            EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
            // The bus is idle again: the next transfer works.
            Bytes got;
            EXPECT_FALSE(r.read(0x50, 1, got));
        }
    }
}

TEST(FtdiDriver, TenBitAddresses) {
    FtdiRig r;
    models::Eeprom24cxxConfig config;
    config.write_cycle = std::chrono::microseconds(0);
    auto mem = std::make_shared<models::Eeprom24cxx>(config);
    r.model->attach_ten_bit(0, 0x2A5, mem);
    ASSERT_FALSE(r.write(0x2A5, {0x00, 0x08, 0x42, 0x43}, I2cMsg::ten_bit));
    Bytes got;
    ASSERT_FALSE(r.write_read(0x2A5, {0x00, 0x08}, 2, got, I2cMsg::ten_bit));
    EXPECT_EQ(got, (Bytes{0x42, 0x43}));
    EXPECT_EQ(r.write(0x1A5, {0x00}, I2cMsg::ten_bit), errc(ENXIO));
    EXPECT_EQ(r.write(0x2A4, {0x00}, I2cMsg::ten_bit), errc(ENXIO));
    // 0x2A5 as a 7-bit address is invalid; 0x25 (7-bit) is someone else.
    EXPECT_EQ(r.write(0x25, {0x00}), errc(ENXIO));
    EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
}

TEST(FtdiDriver, ZeroLengthWriteProbesAnAddress) {
    FtdiRig r;
    EXPECT_FALSE(r.write(0x50, {}));
    EXPECT_FALSE(r.write(0x48, {}));
    EXPECT_EQ(r.write(0x51, {}), errc(ENXIO));
    Bytes none;
    I2cMsg m{0x50, I2cMsg::read, {}};
    EXPECT_EQ(r.chip->transfer({&m, 1}), errc(EOPNOTSUPP));
    EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
}

TEST(FtdiDriver, RatesProgramTheDivisorAndReportTheRealRate) {
    FtdiRig r;
    struct Case {
        uint32_t hz;
        uint16_t divisor;
        uint32_t real;
    } cases[] = {{400'000, 49, 400'000}, {1'000'000, 19, 1'000'000}, {300'000, 66, 298'507}, {100'000, 199, 100'000}};
    for (const auto& c : cases) {
        ASSERT_FALSE(r.chip->set_bitrate(c.hz));
        EXPECT_EQ(r.model->divisor(0), c.divisor);
        uint32_t hz = 0;
        ASSERT_FALSE(r.chip->get_bitrate(hz));
        EXPECT_EQ(hz, c.real);
        Bytes got;
        EXPECT_FALSE(r.write_read(0x50, {0, 0}, 2, got));
    }
    EXPECT_EQ(r.chip->set_bitrate(2'000'000), errc(EINVAL));
    EXPECT_TRUE(r.violations().empty()) << joined(r.violations());
}

TEST(FtdiDriver, StuckBusIsReportedAndRecoveryChecksSda) {
    FtdiRig r;
    r.model->bus(0)->set_stuck(true);
    Bytes got;
    EXPECT_EQ(r.read(0x50, 2, got), errc(ETIMEDOUT));
    EXPECT_EQ(r.chip->recover(), errc(EIO));
    r.model->bus(0)->set_stuck(false);
    EXPECT_FALSE(r.chip->recover());
    EXPECT_FALSE(r.read(0x50, 2, got));
}

TEST(FtdiDriver, RecoveryFreesATargetStuckMidRead) {
    FtdiRig r;
    r.model->eeprom(0)->set_contents(0, Bytes{0x00});
    // Leave the EEPROM mid-read, driving a 0: START, address read, ACK,
    // the first bit clocked, and nothing more (as a host that died).
    const Bytes half{0x80, 0x01, 0x03, 0x80, 0x00, 0x03, 0x11, 0x00, 0x00,
                     0xA1, 0x80, 0x02, 0x03, 0x22, 0x00, 0x22, 0x00, 0x87};
    ASSERT_FALSE(r.transport->write(0x02, usb::TransferType::bulk, half, std::chrono::milliseconds(500)));
    Bytes raw;
    ASSERT_FALSE(r.transport->read(0x81, usb::TransferType::bulk, 512, raw, std::chrono::milliseconds(500)));
    EXPECT_EQ(r.model->pin_levels(0) & 0x04, 0) << "the EEPROM holds SDA low";
    EXPECT_FALSE(r.chip->recover());
    EXPECT_EQ(r.model->pin_levels(0) & 0x07, 0x07);
    Bytes got;
    EXPECT_FALSE(r.read(0x50, 1, got));
}

TEST(FtdiDriver, BadCommandEchoIsEprotoNeverData) {
    FtdiRig r;
    r.model->eeprom(0)->set_contents(0, Bytes{0x10, 0x20});
    r.model->inject_bad_command(0, 0xAB);
    Bytes got;
    EXPECT_EQ(r.write_read(0x50, {0, 0}, 2, got), errc(EPROTO));
    // Resynchronised: the next transfer reads the right bytes.
    ASSERT_FALSE(r.write_read(0x50, {0, 0}, 2, got));
    EXPECT_EQ(got, (Bytes{0x10, 0x20}));
}

TEST(FtdiDriver, MalformedAndStatusOnlyPackets) {
    FtdiRig r;
    r.model->eeprom(0)->set_contents(0, Bytes{0x33});
    Bytes got;
    r.model->truncate_next_packet(0);
    EXPECT_EQ(r.write_read(0x50, {0, 0}, 1, got), errc(EPROTO));
    // Status-only packets first ("no data yet"), then the reply.
    r.model->status_only_packets(0, 3);
    ASSERT_FALSE(r.write_read(0x50, {0, 0}, 1, got));
    EXPECT_EQ(got, Bytes{0x33});
}

}  // namespace
}  // namespace usbio::test
