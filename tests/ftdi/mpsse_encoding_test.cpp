// SPDX-License-Identifier: Apache-2.0
// The MPSSE encoding on its own: clock divisors, set-up, whole I2C
// transfers as one command stream, rounds and ACK decoding.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "ftdi/mpsse.hpp"

namespace usbio::ftdi {
namespace {

using Bytes = std::vector<uint8_t>;

const Timing kOne{1, 1, 1, 1};

Bytes cat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

// Drive-zero pin commands (value, direction 0x03).
Bytes pins(uint8_t scl, uint8_t sda) { return {0x80, static_cast<uint8_t>(scl | (sda << 1)), 0x03}; }
Bytes write_byte(uint8_t b) { return cat({{0x11, 0x00, 0x00, b}, pins(0, 1), {0x22, 0x00}}); }
const Bytes kStart = cat({pins(1, 1), pins(1, 0), pins(0, 0)});
const Bytes kRestart = cat({pins(0, 1), pins(1, 1), pins(1, 0), pins(0, 0)});
const Bytes kStop = cat({pins(0, 0), pins(1, 0), pins(1, 1)});

// Command lengths, to walk a stream (only the opcodes the encoder uses).
std::size_t length_at(const Bytes& s, std::size_t i) {
    switch (s[i]) {
    case 0x11: return 4 + (s[i + 1] | (s[i + 2] << 8));
    case 0x20: return 3;
    case 0x13: return 3;
    case 0x22: return 2;
    case 0x80: return 3;
    case 0x81: return 1;
    case 0x87: return 1;
    default: ADD_FAILURE() << "unexpected opcode " << int(s[i]); return 1;
    }
}

TEST(MpsseClock, StandardRatesAreExact) {
    ClockSetting c;
    ASSERT_FALSE(clock_for(100'000, c));
    EXPECT_EQ(c.divisor, 199);
    EXPECT_EQ(c.bus_hz, 100'000u);
    ASSERT_FALSE(clock_for(400'000, c));
    EXPECT_EQ(c.divisor, 49);
    EXPECT_EQ(c.bus_hz, 400'000u);
    ASSERT_FALSE(clock_for(1'000'000, c));
    EXPECT_EQ(c.divisor, 19);
    EXPECT_EQ(c.bus_hz, 1'000'000u);
}

TEST(MpsseClock, OtherRatesRoundDownAndLimitsHold) {
    ClockSetting c;
    ASSERT_FALSE(clock_for(300'000, c));
    EXPECT_EQ(c.divisor, 66);
    EXPECT_EQ(c.bus_hz, 298'507u);
    EXPECT_LE(c.bus_hz, 300'000u);
    ASSERT_FALSE(clock_for(1'000, c));
    EXPECT_EQ(c.divisor, 19'999);
    EXPECT_EQ(clock_for(999, c), std::errc::invalid_argument);
    EXPECT_EQ(clock_for(1'000'001, c), std::errc::invalid_argument);
}

TEST(MpsseSetup, Ft232hUsesDriveZeroAndBothBytes) {
    ClockSetting c;
    ASSERT_FALSE(clock_for(100'000, c));
    PinShadow gpio{0x08, 0x08, 0x01, 0x03};
    EXPECT_EQ(setup_commands(c, SdaMode::drive_zero, gpio, true),
              (Bytes{0x8A, 0x97, 0x8C, 0x85, 0x86, 0xC7, 0x00, 0x9E, 0x03, 0x00, 0x80, 0x0B, 0x0B, 0x82, 0x01, 0x03}));
}

TEST(MpsseSetup, OthersReleaseSdaByDirection) {
    ClockSetting c;
    ASSERT_FALSE(clock_for(400'000, c));
    EXPECT_EQ(setup_commands(c, SdaMode::switch_direction, {}, false),
              (Bytes{0x8A, 0x97, 0x8C, 0x85, 0x86, 0x31, 0x00, 0x80, 0x03, 0x01}));
}

TEST(MpsseTiming, RepeatsFollowTheRate) {
    const Timing s = timing_for(100'000);
    EXPECT_EQ(s.hd_sta, 8u);
    EXPECT_EQ(s.su_sta, 10u);
    EXPECT_EQ(s.buf, 10u);
    const Timing f = timing_for(400'000);
    EXPECT_EQ(f.hd_sta, 2u);
    EXPECT_EQ(f.buf, 3u);
    const Timing p = timing_for(1'000'000);
    EXPECT_EQ(p.hd_sta, 1u);
}

TEST(MpsseEncode, WriteIsOneStreamWithEveryAck) {
    Bytes data{0x00, 0x10};
    I2cMsg m{0x50, 0, data};
    I2cProgram p;
    ASSERT_FALSE(encode_transfer({&m, 1}, SdaMode::drive_zero, kOne, {}, p));
    EXPECT_EQ(p.cmd, cat({{0x81}, kStart, write_byte(0xA0), write_byte(0x00), write_byte(0x10), kStop}));
    ASSERT_EQ(p.reply.size(), 4u);
    EXPECT_EQ(p.reply[0].kind, ReplyItem::Kind::bus_idle);
    EXPECT_EQ(p.reply[1].kind, ReplyItem::Kind::address_ack);
    EXPECT_EQ(p.reply[3].kind, ReplyItem::Kind::data_ack);
    EXPECT_EQ(p.reply[3].index, 1);
    EXPECT_EQ(p.stop, kStop);
    const Bytes one = one_buffer(p);
    EXPECT_EQ(one.back(), 0x87);
    EXPECT_EQ(one.size(), p.cmd.size() + 1);
}

TEST(MpsseEncode, WriteReadUsesRepeatedStartAndNacksTheLastByte) {
    Bytes w{0x12};
    Bytes r(2);
    I2cMsg m[2] = {{0x50, 0, w}, {0x50, I2cMsg::read, r}};
    I2cProgram p;
    ASSERT_FALSE(encode_transfer(m, SdaMode::drive_zero, kOne, {}, p));
    const Bytes read_ack = cat({{0x20, 0x00, 0x00, 0x13, 0x00, 0x00}, pins(0, 1)});
    const Bytes read_nack{0x20, 0x00, 0x00, 0x13, 0x00, 0x80};
    EXPECT_EQ(p.cmd, cat({{0x81},
                          kStart,
                          write_byte(0xA0),
                          write_byte(0x12),
                          kRestart,
                          write_byte(0xA1),
                          read_ack,
                          read_nack,
                          kStop}));
    ASSERT_EQ(p.reply.size(), 6u);
    EXPECT_EQ(p.reply[4].kind, ReplyItem::Kind::data);
    EXPECT_EQ(p.reply[5].msg, 1);
    EXPECT_EQ(p.reply[5].index, 1);
}

TEST(MpsseEncode, AnyNumberOfMessages) {
    Bytes a{1}, b(3), c{2, 3}, d(1);
    I2cMsg m[4] = {{0x20, 0, a}, {0x21, I2cMsg::read, b}, {0x22, 0, c}, {0x23, I2cMsg::read, d}};
    I2cProgram p;
    ASSERT_FALSE(encode_transfer(m, SdaMode::drive_zero, kOne, {}, p));
    std::size_t restarts = 0;
    for (std::size_t i = 0; i + kRestart.size() <= p.cmd.size(); ++i)
        if (std::equal(kRestart.begin(), kRestart.end(), p.cmd.begin() + static_cast<std::ptrdiff_t>(i))) ++restarts;
    EXPECT_EQ(restarts, 3u);
    // idle + 4 addresses + 3 write ACKs + 4 read bytes
    EXPECT_EQ(p.reply.size(), 12u);
}

TEST(MpsseEncode, TenBitAddresses) {
    Bytes w{0x55};
    Bytes r(1);
    I2cMsg m[2] = {{0x2A5, I2cMsg::ten_bit, w}, {0x2A5, I2cMsg::ten_bit | I2cMsg::read, r}};
    I2cProgram p;
    ASSERT_FALSE(encode_transfer(m, SdaMode::drive_zero, kOne, {}, p));
    const Bytes expect = cat({{0x81},
                              kStart,
                              write_byte(0xF4),
                              write_byte(0xA5),
                              write_byte(0x55),
                              kRestart,
                              write_byte(0xF4),
                              write_byte(0xA5),
                              kRestart,
                              write_byte(0xF5),
                              {0x20, 0x00, 0x00, 0x13, 0x00, 0x80},
                              kStop});
    EXPECT_EQ(p.cmd, expect);
    unsigned address_acks = 0;
    for (const auto& it : p.reply) address_acks += it.kind == ReplyItem::Kind::address_ack;
    EXPECT_EQ(address_acks, 5u);
}

TEST(MpsseEncode, ZeroLengthWriteIsAddressOnly) {
    I2cMsg m{0x48, 0, {}};
    I2cProgram p;
    ASSERT_FALSE(encode_transfer({&m, 1}, SdaMode::drive_zero, kOne, {}, p));
    EXPECT_EQ(p.cmd, cat({{0x81}, kStart, write_byte(0x90), kStop}));
    EXPECT_EQ(p.reply.size(), 2u);
}

TEST(MpsseEncode, RefusesWhatI2cCannotDo) {
    I2cProgram p;
    I2cMsg rd{0x50, I2cMsg::read, {}};
    EXPECT_EQ(encode_transfer({&rd, 1}, SdaMode::drive_zero, kOne, {}, p), std::errc::operation_not_supported);
    I2cMsg far{0x80, 0, {}};
    EXPECT_EQ(encode_transfer({&far, 1}, SdaMode::drive_zero, kOne, {}, p), std::errc::invalid_argument);
    I2cMsg far10{0x400, I2cMsg::ten_bit, {}};
    EXPECT_EQ(encode_transfer({&far10, 1}, SdaMode::drive_zero, kOne, {}, p), std::errc::invalid_argument);
    EXPECT_EQ(encode_transfer({}, SdaMode::drive_zero, kOne, {}, p), std::errc::invalid_argument);
}

TEST(MpsseEncode, EveryPinCommandCarriesTheGpioHalf) {
    Bytes w{1, 2};
    Bytes r(3);
    I2cMsg m[2] = {{0x50, 0, w}, {0x50, I2cMsg::read, r}};
    const PinShadow gpio{0xA8, 0x38, 0, 0};  // ADBUS3,5 high; 3-5 outputs
    for (SdaMode mode : {SdaMode::drive_zero, SdaMode::switch_direction}) {
        I2cProgram p;
        ASSERT_FALSE(encode_transfer(m, mode, timing_for(100'000), gpio, p));
        unsigned seen = 0;
        for (std::size_t i = 0; i < p.cmd.size(); i += length_at(p.cmd, i)) {
            if (p.cmd[i] != 0x80) continue;
            ++seen;
            EXPECT_EQ(p.cmd[i + 1] & 0xF8, 0xA8) << "at " << i;
            EXPECT_EQ(p.cmd[i + 2] & 0xF8, 0x38) << "at " << i;
            EXPECT_EQ(p.cmd[i + 2] & kSdaIn, 0) << "SDA in made an output at " << i;
        }
        EXPECT_GT(seen, 10u);
    }
}

TEST(MpsseEncode, SwitchDirectionDrivesSdaOnlyForTheMastersBits) {
    Bytes w{0x42};
    Bytes r(2);
    I2cMsg m[2] = {{0x50, 0, w}, {0x50, I2cMsg::read, r}};
    I2cProgram p;
    ASSERT_FALSE(encode_transfer(m, SdaMode::switch_direction, kOne, {}, p));
    // Every data-out command runs with SDA an output; every ACK-bit and
    // data read with SDA an input.
    bool sda_output = false;
    for (std::size_t i = 0; i < p.cmd.size(); i += length_at(p.cmd, i)) {
        switch (p.cmd[i]) {
        case 0x80: sda_output = p.cmd[i + 2] & kSdaOut; break;
        case 0x11: EXPECT_TRUE(sda_output) << "byte out with SDA released at " << i; break;
        case 0x22:
        case 0x20: EXPECT_FALSE(sda_output) << "read with SDA driven at " << i; break;
        case 0x13:
            // ACK: SDA driven low; NACK: released.
            if (p.cmd[i + 2] == 0x00)
                EXPECT_TRUE(sda_output);
            else
                EXPECT_FALSE(sda_output);
            break;
        default: break;
        }
    }
}

TEST(MpsseRounds, AtEndIsOneRoundWhenTheReplyFits) {
    Bytes w(2), r(256);
    I2cMsg m[2] = {{0x50, 0, w}, {0x50, I2cMsg::read, r}};
    I2cProgram p;
    ASSERT_FALSE(encode_transfer(m, SdaMode::drive_zero, timing_for(100'000), {}, p));
    const auto rounds = plan_rounds(p, AckCheck::at_end, 1024, 256 * 1024);
    ASSERT_EQ(rounds.size(), 1u);
    EXPECT_EQ(rounds[0].cmd_end, p.cmd.size());
    EXPECT_EQ(rounds[0].reply_end, p.reply.size());
}

TEST(MpsseRounds, LongReadsAreCutToTheFifo) {
    Bytes w(2), r(4096);
    I2cMsg m[2] = {{0x50, 0, w}, {0x50, I2cMsg::read, r}};
    I2cProgram p;
    ASSERT_FALSE(encode_transfer(m, SdaMode::drive_zero, kOne, {}, p));
    const auto rounds = plan_rounds(p, AckCheck::at_end, 1024, 256 * 1024);
    ASSERT_EQ(rounds.size(), 5u);
    std::size_t cmd = 0, reply = 0;
    for (const auto& rd : rounds) {
        EXPECT_EQ(rd.cmd_begin, cmd);
        EXPECT_EQ(rd.reply_begin, reply);
        EXPECT_LE(rd.reply_end - rd.reply_begin, 1024u);
        cmd = rd.cmd_end;
        reply = rd.reply_end;
    }
    EXPECT_EQ(cmd, p.cmd.size());
    EXPECT_EQ(reply, p.reply.size());
}

TEST(MpsseRounds, CheckModesCutAfterTheAddressOrEveryByte) {
    Bytes w(4);
    I2cMsg m{0x50, 0, w};
    I2cProgram p;
    ASSERT_FALSE(encode_transfer({&m, 1}, SdaMode::drive_zero, kOne, {}, p));
    const auto addr = plan_rounds(p, AckCheck::after_address, 1024, 256 * 1024);
    ASSERT_EQ(addr.size(), 2u);
    EXPECT_EQ(addr[0].reply_end, 2u);  // bus check, address ACK
    // One round per written byte; the last one carries the STOP too.
    EXPECT_EQ(plan_rounds(p, AckCheck::each_byte, 1024, 256 * 1024).size(), 5u);
}

TEST(MpsseDecode, DataIsCopiedAndAcksChecked) {
    Bytes w{0x12};
    Bytes r(2);
    I2cMsg m[2] = {{0x50, 0, w}, {0x50, I2cMsg::read, r}};
    I2cProgram p;
    ASSERT_FALSE(encode_transfer(m, SdaMode::drive_zero, kOne, {}, p));
    I2cFailure f;
    ASSERT_FALSE(decode_reply(p, 0, Bytes{0x07, 0x00, 0x00, 0x00, 0xDE, 0xAD}, m, f));
    EXPECT_EQ(f.error, 0);
    EXPECT_EQ(r, (Bytes{0xDE, 0xAD}));
    // Split into two rounds: the same result.
    std::fill(r.begin(), r.end(), 0);  // m[1] still points at r's storage
    I2cFailure g;
    ASSERT_FALSE(decode_reply(p, 0, Bytes{0x07, 0x00, 0x00}, m, g));
    ASSERT_FALSE(decode_reply(p, 3, Bytes{0x00, 0xBE, 0xEF}, m, g));
    EXPECT_EQ(r, (Bytes{0xBE, 0xEF}));
}

TEST(MpsseDecode, AddressNackIsEnxioDataNackIsEioWithItsIndex) {
    Bytes w{1, 2, 3, 4};
    I2cMsg m{0x50, 0, w};
    I2cProgram p;
    ASSERT_FALSE(encode_transfer({&m, 1}, SdaMode::drive_zero, kOne, {}, p));
    I2cFailure a;
    ASSERT_FALSE(decode_reply(p, 0, Bytes{0x04, 0x01, 0x01, 0x01, 0x01, 0x01}, {&m, 1}, a));
    EXPECT_EQ(a.error, ENXIO);
    EXPECT_EQ(a.describe(), "address 0x50 not acknowledged");
    I2cFailure d;
    ASSERT_FALSE(decode_reply(p, 0, Bytes{0x04, 0x00, 0x00, 0x00, 0x01, 0x01}, {&m, 1}, d));
    EXPECT_EQ(d.error, EIO);
    EXPECT_EQ(d.index, 2);
    EXPECT_EQ(d.describe(), "byte 2 of message 0 to 0x50 not acknowledged");
    I2cFailure s;
    ASSERT_FALSE(decode_reply(p, 0, Bytes{0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, {&m, 1}, s));
    EXPECT_EQ(s.error, ETIMEDOUT);
    I2cFailure x;
    EXPECT_EQ(decode_reply(p, 0, Bytes(7), {&m, 1}, x), std::errc::protocol_error);
}

TEST(MpsseRecovery, NineClocksThenPinsThenStop) {
    const Bytes c = recovery_commands(SdaMode::drive_zero, kOne, {});
    EXPECT_EQ(c, cat({pins(0, 1), {0x22, 0x07, 0x22, 0x00, 0x81}, kStop, {0x87}}));
    EXPECT_EQ(kRecoveryReply, 3u);
}

}  // namespace
}  // namespace usbio::ftdi
