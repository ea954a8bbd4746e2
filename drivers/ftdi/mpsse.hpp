// SPDX-License-Identifier: Apache-2.0
// The FTDI MPSSE command set (AN_108) as this driver uses it, and the pure
// encoding of I2C transfers into one command stream. Nothing here does I/O:
// the chip code (chip*.cpp) sends what is built here and hands the replies
// back to be decoded, so every byte is unit-tested on its own.
//
// I2C wiring (AN_255): SCL on AD0, SDA out on AD1, SDA in on AD2 (AD1 and
// AD2 tied together). The data commands clock with three-phase clocking:
// bytes out on the falling edge (0x11), bits in on the rising edge (0x22,
// 0x20), the master's ACK bit out on the falling edge (0x13).
//
// MPSSE cannot stop on a NACK: once a command stream is in the chip every
// byte in it is clocked. A transfer checked `at_end` therefore still clocks
// the bytes after a NACKed one; `after_address` stops after a NACKed
// address, `each_byte` after any NACKed byte (one round trip per byte).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "usbio/i2c.hpp"

namespace usbio::ftdi {

namespace op {
inline constexpr uint8_t write_bytes_neg = 0x11;  // bytes out, MSB first, falling edge
inline constexpr uint8_t write_bits_neg = 0x13;   // bits out, MSB first, falling edge
inline constexpr uint8_t read_bytes_pos = 0x20;   // bytes in, MSB first, rising edge
inline constexpr uint8_t read_bits_pos = 0x22;    // bits in, MSB first, rising edge
inline constexpr uint8_t set_low = 0x80;          // value, direction of ADBUS
inline constexpr uint8_t read_low = 0x81;
inline constexpr uint8_t set_high = 0x82;  // value, direction of ACBUS
inline constexpr uint8_t read_high = 0x83;
inline constexpr uint8_t loopback_off = 0x85;
inline constexpr uint8_t set_divisor = 0x86;     // low, high
inline constexpr uint8_t send_immediate = 0x87;  // flush the chip's reply buffer now
inline constexpr uint8_t div5_off = 0x8A;        // 60 MHz master clock
inline constexpr uint8_t three_phase_on = 0x8C;
inline constexpr uint8_t adaptive_on = 0x96;  // clock edges wait for RTCK on AD7
inline constexpr uint8_t adaptive_off = 0x97;
inline constexpr uint8_t drive_zero = 0x9E;  // low mask, high mask (FT232H only)
inline constexpr uint8_t bad_command_reply = 0xFA;
// An opcode no MPSSE knows: its 0xFA echo marks where the reply stream is.
inline constexpr uint8_t sync_probe = 0xAA;
}  // namespace op

// Vendor requests on endpoint 0 (bmRequestType 0x40, wIndex = port 1..4).
namespace sio {
inline constexpr uint8_t reset = 0x00;
inline constexpr uint16_t reset_sio = 0;
inline constexpr uint16_t purge_rx = 1;
inline constexpr uint16_t purge_tx = 2;
inline constexpr uint8_t set_latency = 0x09;
inline constexpr uint8_t set_bitmode = 0x0B;
inline constexpr uint8_t mode_reset = 0x00;
inline constexpr uint8_t mode_mpsse = 0x02;
}  // namespace sio

// Low-byte I2C pins.
inline constexpr uint8_t kScl = 0x01;
inline constexpr uint8_t kSdaOut = 0x02;
inline constexpr uint8_t kSdaIn = 0x04;
inline constexpr uint8_t kI2cPins = kScl | kSdaOut | kSdaIn;

// Bus clock: 60 MHz master clock (divide-by-5 off), three-phase clocking,
// so SCL = 60 MHz / (3 * (1 + divisor)).
inline constexpr uint32_t kMasterClockHz = 60'000'000;
inline constexpr uint32_t kMinBitrate = 1'000;
inline constexpr uint32_t kMaxBitrate = 1'000'000;

struct ClockSetting {
    uint16_t divisor = 0;
    uint32_t bus_hz = 0;  // the rate the bus really runs at
};

// The fastest rate not above `hz`. EINVAL outside kMinBitrate..kMaxBitrate.
std::error_code clock_for(uint32_t hz, ClockSetting& out);

// How SDA is released: FT232H drives only zeros on the I2C pins (0x9E);
// the others release SDA by making AD1 an input while the target drives it.
enum class SdaMode : uint8_t { drive_zero, switch_direction };

// When ACK bits are checked: see the top of this file (the public
// usbio::AckCheck).
using usbio::AckCheck;

// The GPIO half of both pin bytes, which every I2C pin command carries so
// that a transfer never disturbs a GPIO line.
struct PinShadow {
    uint8_t low_value = 0;
    uint8_t low_dir = 0;
    uint8_t high_value = 0;
    uint8_t high_dir = 0;
};

// Set-up after entering MPSSE mode: divide-by-5 off, adaptive clocking off,
// three-phase on, loopback off, the divisor, drive-zero on the I2C pins
// (drive_zero mode only), then both pin bytes with the bus idle.
std::vector<uint8_t> setup_commands(const ClockSetting& clock, SdaMode mode, const PinShadow& gpio, bool high_byte);

// The low byte (0x80 value direction) with the I2C pins idle (SCL and SDA
// high) and the GPIO half from `gpio`.
std::vector<uint8_t> idle_low_byte(SdaMode mode, const PinShadow& gpio);

// Hold and set-up times as repeats of one pin command (about 0.5 us each):
// START hold, repeated-START set-up, STOP set-up, bus free time.
struct Timing {
    unsigned hd_sta = 1;
    unsigned su_sta = 1;
    unsigned su_sto = 1;
    unsigned buf = 1;
};
Timing timing_for(uint32_t bus_hz);

// STOP from SCL low, then the bus idle: how a transfer ends, also early.
std::vector<uint8_t> stop_commands(SdaMode mode, const Timing& t, const PinShadow& gpio);

// Bus recovery (I2C specification 3.1.16): with SDA released, nine clocks
// (a target stuck mid-byte finishes it and sees a NACK), the low pins read
// back, then a STOP. The reply is kRecoveryReply bytes; the last one holds
// the pins after the clocks (SDA in is kSdaIn).
std::vector<uint8_t> recovery_commands(SdaMode mode, const Timing& t, const PinShadow& gpio);
inline constexpr std::size_t kRecoveryReply = 3;

// One byte of the expected reply.
struct ReplyItem {
    enum class Kind : uint8_t {
        bus_idle,     // the low pins before START: SDA must read high
        address_ack,  // bit 0: 0 = ACK
        data_ack,     // ACK of written byte `index` of message `msg`
        data,         // read byte `index` of message `msg`
    };
    Kind kind = Kind::data;
    uint16_t msg = 0;
    uint16_t index = 0;
};

// A transfer as one command stream, the reply it produces, and the places
// it may be cut into rounds (after each byte on the bus).
struct I2cProgram {
    struct Cut {
        std::size_t cmd_end = 0;
        std::size_t reply_end = 0;
        bool after_address = false;  // the byte just before it was an address
        bool after_write = false;    // ... was a written byte (address or data)
    };
    std::vector<uint8_t> cmd;  // without the trailing send-immediate
    std::vector<ReplyItem> reply;
    std::vector<Cut> cuts;      // strictly increasing; the last is the end
    std::vector<uint8_t> stop;  // STOP and idle, for ending a transfer early
};

// Encodes the messages (every one after the first begins with a repeated
// START; STOP at the end). I2cMsg::ten_bit addresses are 0..0x3ff, others
// 0..0x7f (EINVAL). A zero-length write is address only (SMBus quick); a
// zero-length read is EOPNOTSUPP (the target would own SDA at the STOP).
std::error_code encode_transfer(std::span<const I2cMsg> msgs, SdaMode mode, const Timing& t, const PinShadow& gpio,
                                I2cProgram& out);

// The whole program as one buffer ending in send-immediate: what one bulk
// OUT carries when no FIFO forces a cut.
std::vector<uint8_t> one_buffer(const I2cProgram& p);

// Rounds: [begin, end) ranges of cuts. Each round's reply fits `max_reply`
// bytes and its commands `max_cmd` bytes (unless one byte alone is larger);
// `check` adds cuts after the first address or after every written byte.
struct Round {
    std::size_t cmd_begin = 0, cmd_end = 0;
    std::size_t reply_begin = 0, reply_end = 0;
};
std::vector<Round> plan_rounds(const I2cProgram& p, AckCheck check, std::size_t max_reply, std::size_t max_cmd);

// What went wrong on the bus, if anything.
struct I2cFailure {
    int error = 0;  // 0, ENXIO (address NACK), EIO (data NACK), ETIMEDOUT (SDA held low)
    uint16_t msg = 0;
    uint16_t index = 0;
    uint16_t addr = 0;
    std::string describe() const;  // "address 0x50 not acknowledged", "byte 3 of message 0 not acknowledged"
};

// Decodes the reply of items [first, first + bytes.size()): read data goes
// into the messages, the first NACK into `failure` (later items are still
// copied). EPROTO when `bytes` does not match the items.
std::error_code decode_reply(const I2cProgram& p, std::size_t first, std::span<const uint8_t> bytes,
                             std::span<I2cMsg> msgs, I2cFailure& failure);

// Bulk IN framing: every packet of up to `max_packet` bytes starts with two
// modem-status bytes. Appends the payload of one IN transfer to `out`.
// EPROTO for a packet shorter than the two status bytes.
std::error_code strip_status(std::span<const uint8_t> transfer, std::size_t max_packet, std::vector<uint8_t>& out);

// A reply stream longer than expected means the chip rejected a command:
// the offending opcode after a 0xFA when one is found, else -1.
int bad_command_in(std::span<const uint8_t> reply, std::size_t expected);

}  // namespace usbio::ftdi
