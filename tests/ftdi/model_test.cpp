// SPDX-License-Identifier: Apache-2.0
// The FTDI model on its own, driven through usb::DeviceModel as a host
// would: vendor requests, the command interpreter, the status bytes, pins
// and the I2C waveform checks.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "ftdi/mpsse.hpp"
#include "models/ftdi_model.hpp"
#include "models/ftdi_sim_model.hpp"

namespace usbio::models {
namespace {

using Bytes = std::vector<uint8_t>;

struct Host {
    explicit Host(FtdiKind kind = FtdiKind::ft232h, unsigned port = 0)
        : chip(std::make_shared<FtdiChipModel>(FtdiOptions{kind, "T1", true, true, std::chrono::microseconds(0)})),
          dev(chip->port(port)),
          port(port) {}

    bool vendor(uint8_t request, uint16_t value, std::optional<uint16_t> index = {}) {
        usb::ControlSetup s{0x40, request, value, index.value_or(static_cast<uint16_t>(port + 1)), 0};
        return !dev->control(s, {}).stall;
    }
    void mpsse() {
        ASSERT_TRUE(vendor(0x0B, 0x0000));
        ASSERT_TRUE(vendor(0x0B, 0x0200));
    }
    void send(const Bytes& b) { ASSERT_TRUE(dev->out_packet(static_cast<uint8_t>(0x02 + 2 * port), b)); }
    std::optional<Bytes> packet() { return dev->in_packet(static_cast<uint8_t>(0x81 + 2 * port)); }
    // Reply bytes of every packet ready now, status bytes checked and dropped.
    Bytes reply() {
        Bytes out;
        while (auto p = packet()) {
            EXPECT_GE(p->size(), 2u);
            EXPECT_EQ((*p)[0], 0x32);
            EXPECT_EQ((*p)[1], 0x60);
            out.insert(out.end(), p->begin() + 2, p->end());
            if (p->size() < 512) break;
        }
        return out;
    }
    // An I2C transfer encoded by the driver's encoder, run on the model.
    Bytes run(std::span<I2cMsg> msgs, ftdi::SdaMode mode = ftdi::SdaMode::drive_zero) {
        ftdi::ClockSetting c;
        (void)ftdi::clock_for(100'000, c);
        send(ftdi::setup_commands(c, mode, {}, kind_high()));
        ftdi::I2cProgram p;
        EXPECT_FALSE(ftdi::encode_transfer(msgs, mode, ftdi::timing_for(100'000), {}, p));
        send(ftdi::one_buffer(p));
        Bytes r = reply();
        EXPECT_EQ(r.size(), p.reply.size());
        ftdi::I2cFailure f;
        EXPECT_FALSE(ftdi::decode_reply(p, 0, r, msgs, f));
        last_failure = f;
        return r;
    }
    bool kind_high() const { return true; }

    std::shared_ptr<FtdiChipModel> chip;
    std::shared_ptr<usb::DeviceModel> dev;
    unsigned port;
    ftdi::I2cFailure last_failure;
};

TEST(FtdiModel, IdentityIsOnePortsInterface) {
    Host a(FtdiKind::ft2232h, 1);
    const auto id = a.dev->identity();
    EXPECT_EQ(id.vid, 0x0403);
    EXPECT_EQ(id.pid, 0x6010);
    ASSERT_EQ(id.interfaces.size(), 1u);
    EXPECT_EQ(id.interfaces[0].number, 1);
    ASSERT_EQ(id.interfaces[0].endpoints.size(), 2u);
    EXPECT_EQ(id.interfaces[0].endpoints[0].address, 0x83);
    EXPECT_EQ(id.interfaces[0].endpoints[1].address, 0x04);
    EXPECT_EQ(id.interfaces[0].endpoints[0].max_packet, 512);
    EXPECT_EQ(a.dev->config_descriptor().size(), 9u + 2 * 23u);
    EXPECT_EQ(Host(FtdiKind::ft4232h).chip->ports(), 2u);
}

TEST(FtdiModel, SimModelOfADualChipHasOnePortPerInterface) {
    auto model = make_ftdi_sim_model(FtdiKind::ft2232h, {});
    const auto ports = model->ports();
    ASSERT_EQ(ports.size(), 2u);
    EXPECT_EQ(ports[0]->identity().interfaces[0].number, 0);
    EXPECT_EQ(ports[1]->identity().interfaces[0].number, 1);
    // One chip: a vendor request through port A's endpoint 0 reaches B.
    usb::ControlSetup s{0x40, 0x0B, 0x0200, 2, 0};
    EXPECT_FALSE(ports[0]->control(s, {}).stall);
    model->set_input_level(0, 0);  // ADBUS3 of port A, an input
    EXPECT_EQ(model->pin_level(0), 0);
    EXPECT_EQ(make_ftdi_sim_model(FtdiKind::ft232h, {})->ports().size(), 1u);
    EXPECT_EQ(make_ftdi_sim_model(FtdiKind::ft4232h, {})->ports().size(), 2u);
    EXPECT_EQ(model->faults(), (std::vector<std::string>{"short-packet", "bad-command"}));
    EXPECT_FALSE(model->inject_fault("short-report", 1));
}

TEST(FtdiModel, BadOpcodeIsEchoedOnlyInMpsseMode) {
    Host h;
    h.send({0xAA, 0x87});
    EXPECT_FALSE(h.packet()) << "not in MPSSE mode: commands are UART data";
    h.mpsse();
    h.send({0xAA, 0x87});
    EXPECT_EQ(h.reply(), (Bytes{0xFA, 0xAA}));
    EXPECT_FALSE(h.packet());
}

TEST(FtdiModel, RepliesWaitForSendImmediate) {
    Host h;
    h.mpsse();
    h.send({0x80, 0x03, 0x03, 0x81});
    EXPECT_FALSE(h.packet());
    h.send({0x87});
    EXPECT_EQ(h.reply(), (Bytes{0xFF}));  // SCL, SDA (AD1, AD2) high; AD3-7 pulled up
}

TEST(FtdiModel, CommandsSplitAcrossPacketsAreJoined) {
    Host h;
    h.mpsse();
    h.send({0x80, 0x03});
    h.send({0x03, 0x82, 0x05});
    h.send({0x0F, 0x83, 0x87});
    EXPECT_EQ(h.reply(), (Bytes{0xF5}));  // ACBUS0,2 high outputs, 1,3 low, 4-7 pulled up
}

TEST(FtdiModel, ChipsRefuseWhatTheyLack) {
    Host h(FtdiKind::ft2232h);
    h.mpsse();
    h.send({0x9E, 0x07, 0x00, 0x87});
    EXPECT_EQ(h.reply(), (Bytes{0xFA, 0x9E, 0xFA, 0x07, 0xFA, 0x00}));
    Host q(FtdiKind::ft4232h);
    q.mpsse();
    q.send({0x83, 0x87});
    EXPECT_EQ(q.reply(), (Bytes{0xFA, 0x83}));
    Host t;
    t.mpsse();
    t.send({0x32, 0x87});  // read and write on the same edge
    EXPECT_EQ(t.reply(), (Bytes{0xFA, 0x32}));
}

TEST(FtdiModel, VendorRequestsActOnThePortWIndexNames) {
    Host a(FtdiKind::ft2232h, 0);
    EXPECT_TRUE(a.vendor(0x09, 7, 2));
    EXPECT_EQ(a.chip->latency_ms(1), 7);
    EXPECT_EQ(a.chip->latency_ms(0), 16);
    EXPECT_TRUE(a.vendor(0x0B, 0x0200, 2));
    EXPECT_TRUE(a.chip->mpsse(1));
    EXPECT_FALSE(a.chip->mpsse(0));
    EXPECT_FALSE(a.vendor(0x09, 1, 5));
    EXPECT_FALSE(a.vendor(0x55, 0));
}

// Single-port drivers (Linux's ftdi_sio on an FT232H) send wIndex 0; the
// chip takes it as port A.
TEST(FtdiModel, WIndexZeroIsPortA) {
    Host h;
    EXPECT_TRUE(h.vendor(0x09, 9, 0));
    EXPECT_EQ(h.chip->latency_ms(0), 9);
    usb::ControlSetup get{0xC0, 0x0A, 0, 0, 1};
    const auto r = h.dev->control(get, {});
    EXPECT_FALSE(r.stall);
    EXPECT_EQ(r.data, (Bytes{9}));
}

TEST(FtdiModel, PurgeDropsRepliesAndHalfCommands) {
    Host h;
    h.mpsse();
    h.send({0x81, 0x87, 0x80, 0x00});
    EXPECT_TRUE(h.vendor(0x00, 1));
    EXPECT_FALSE(h.packet());
    EXPECT_TRUE(h.vendor(0x00, 2));
    h.send({0x81, 0x87});  // not the rest of the dropped 0x80
    EXPECT_EQ(h.reply().size(), 1u);
}

TEST(FtdiModel, LongRepliesComeInPacketsWithStatusEach) {
    Host h;
    h.mpsse();
    Bytes cmd(600, 0x81);
    cmd.push_back(0x87);
    h.send(cmd);
    auto p1 = h.packet();
    ASSERT_TRUE(p1);
    EXPECT_EQ(p1->size(), 512u);
    auto p2 = h.packet();
    ASSERT_TRUE(p2);
    EXPECT_EQ(p2->size(), 2u + 90u);
    EXPECT_FALSE(h.packet());
    // Exactly a full packet: a status-only packet follows, as after the
    // chip's latency timer.
    h.send(Bytes(510, 0x81));
    h.send({0x87});
    EXPECT_EQ(h.packet()->size(), 512u);
    EXPECT_EQ(h.packet()->size(), 2u);
    EXPECT_FALSE(h.packet());
}

TEST(FtdiModel, ReplyFifoOverflowIsAViolation) {
    Host h;
    h.mpsse();
    h.send(Bytes(1100, 0x81));
    EXPECT_FALSE(h.chip->violations(0).empty());
}

TEST(FtdiModel, I2cWriteAndReadReachTheEeprom) {
    Host h;
    h.mpsse();
    Bytes w{0x00, 0x20, 0xC0, 0xFF, 0xEE};
    I2cMsg m{0x50, 0, w};
    h.run({&m, 1});
    EXPECT_EQ(h.last_failure.error, 0);
    Bytes addr{0x00, 0x20};
    Bytes r(3);
    I2cMsg wr[2] = {{0x50, 0, addr}, {0x50, I2cMsg::read, r}};
    h.run(wr);
    EXPECT_EQ(h.last_failure.error, 0);
    EXPECT_EQ(r, (Bytes{0xC0, 0xFF, 0xEE}));
    EXPECT_TRUE(h.chip->violations(0).empty()) << h.chip->violations(0).front();
    EXPECT_EQ(h.chip->starts(0), 3u);  // START, START, repeated START
    EXPECT_EQ(h.chip->stops(0), 2u);
}

TEST(FtdiModel, SwitchDirectionModeWorksOnTheDualChip) {
    Host h(FtdiKind::ft2232h, 1);
    h.mpsse();
    Bytes addr{0x00, 0x00};
    Bytes r(2);
    I2cMsg wr[2] = {{0x50, 0, addr}, {0x50, I2cMsg::read, r}};
    h.run(wr, ftdi::SdaMode::switch_direction);
    EXPECT_EQ(h.last_failure.error, 0);
    EXPECT_EQ(r, (Bytes{0xFF, 0xFF}));
    EXPECT_TRUE(h.chip->violations(1).empty()) << h.chip->violations(1).front();
}

TEST(FtdiModel, PushPullSdaAgainstAnAckIsAViolation) {
    Host h(FtdiKind::ft2232h);
    h.mpsse();
    // START, then address 0x48 read (last bit 1) with SDA still driven
    // high while the sensor ACKs.
    h.send({0x8C, 0x80, 0x03, 0x03, 0x80, 0x01, 0x03, 0x80, 0x00, 0x03, 0x11, 0x00, 0x00, 0x91, 0x22, 0x00, 0x87});
    EXPECT_EQ(h.reply(), (Bytes{0x00}));  // ACK seen
    const auto v = h.chip->violations(0);
    ASSERT_FALSE(v.empty());
    EXPECT_NE(v[0].find("SDA driven high"), std::string::npos) << v[0];
}

TEST(FtdiModel, SdaChangingWhileSclHighMidByteIsAViolation) {
    Host h;
    h.mpsse();
    h.send({0x8C, 0x9E, 0x03, 0x00, 0x80, 0x03, 0x03, 0x80, 0x01, 0x03, 0x80, 0x00, 0x03});  // START
    h.send({0x13, 0x02, 0xA0});                                                              // three bits, the last a 1
    h.send({0x80, 0x03, 0x03, 0x80, 0x01, 0x03});  // SCL up, then SDA down: START mid-byte
    const auto v = h.chip->violations(0);
    ASSERT_FALSE(v.empty());
    EXPECT_NE(v[0].find("middle of a byte"), std::string::npos) << v[0];
}

TEST(FtdiModel, TwoPhaseClockingIsAViolation) {
    Host h;
    h.mpsse();
    h.send({0x80, 0x00, 0x03, 0x11, 0x00, 0x00, 0x55});
    const auto v = h.chip->violations(0);
    ASSERT_FALSE(v.empty());
    EXPECT_NE(v[0].find("two-phase"), std::string::npos) << v[0];
}

TEST(FtdiModel, FaultHooksShapeThePackets) {
    Host h;
    h.mpsse();
    h.chip->status_only_packets(0, 2);
    EXPECT_EQ(h.packet()->size(), 2u);
    EXPECT_EQ(h.packet()->size(), 2u);
    EXPECT_FALSE(h.packet());
    h.chip->truncate_next_packet(0);
    h.send({0x81, 0x87});
    EXPECT_EQ(h.packet()->size(), 1u);
    h.chip->inject_bad_command(0, 0xAB);
    h.send({0x87});
    EXPECT_EQ(h.reply(), (Bytes{0xFA, 0xAB}));
}

TEST(FtdiModel, ResetLeavesMpsseMode) {
    Host h;
    h.mpsse();
    h.dev->reset();
    EXPECT_FALSE(h.chip->mpsse(0));
    EXPECT_EQ(h.chip->pin_levels(0) & 0x07, 0x07);
}

}  // namespace
}  // namespace usbio::models
