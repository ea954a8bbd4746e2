// SPDX-License-Identifier: Apache-2.0
// One MPSSE port of an FTDI chip, as AN_108 describes it: the command
// interpreter fed by bulk OUT, the reply buffer read by bulk IN (two
// modem-status bytes before every packet's data), the two pin bytes
// (ADBUS, ACBUS) with directions and FT232H drive-only-zero, and the clock
// engine, whose every edge goes to the I2C wire on AD0 (SCL), AD1 (SDA out)
// and AD2 (SDA in). Commands it does not implement get the chip's
// bad-command reply (0xFA, opcode).
//
// Adaptive clocking (0x96, FT232H and FT2232H; the FT4232H model answers
// it as a bad command): the board is taken to wire AD7 to SCL, so AD7 reads
// SCL and the clock engine waits at each rising edge while a target
// stretches SCL. Without it the engine clocks on regardless, the target
// misses those clocks and the wire records the violation; pin commands
// (0x80) never wait, as on the chip, but time passes for the target.
//
// Stricter than the chip where a driver would be wrong: replies are sent
// only on send-immediate (0x87) or once a full packet is waiting (the chip
// would also send after its latency timer), and a reply that overflows the
// chip-to-host FIFO is recorded as a violation and dropped.
//
// Not thread-safe: the port model (ftdi_model.hpp) locks around it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "models/ftdi_i2c_wire.hpp"

namespace usbio::models {

struct MpsseLimits {
    bool high_byte = true;       // ACBUS present (not on FT4232H)
    bool drive_zero = true;      // 0x9E (FT232H only)
    std::size_t tx_fifo = 1024;  // chip-to-host reply bytes it can hold
    bool adaptive = true;        // 0x96 adaptive clocking (not on FT4232H)
};

// The pins of a port as they stay between uses (saved state): the mode,
// both bytes' values and directions, the drive-zero masks, and what the
// world drives on each pin (-1 none, else 0 or 1).
struct MpssePins {
    bool mpsse = false;
    uint8_t low_value = 0, low_dir = 0, high_value = 0, high_dir = 0;
    uint8_t od_low = 0, od_high = 0;
    std::array<int, 16> external{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
};

class MpsseEngine {
public:
    MpsseEngine(MpsseLimits limits, FtdiI2cWire& wire);

    // Vendor requests.
    void set_bitmode(uint8_t mode, uint8_t mask);
    void purge_commands() { pending_.clear(); }
    void purge_replies();
    void reset();  // SIO reset: both purges; the mode stays

    // Bulk OUT data (any split into packets).
    void feed(std::span<const uint8_t> data);
    // Bulk IN token: status bytes and up to max_packet - 2 reply bytes, or
    // nullopt (NAK) when nothing is to be sent yet.
    std::optional<std::vector<uint8_t>> take_packet(std::size_t max_packet);
    bool reply_ready() const { return !replies_.empty() && (flush_ || replies_.size() >= 510); }

    // Pins: bit n of the low byte is ADBUSn, bit 8+n is ACBUSn.
    uint16_t levels() const;
    // An outside driver on a pin (-1: none; the internal pull-up wins).
    void set_external(unsigned pin, int level);
    bool mpsse() const { return mpsse_; }
    MpssePins pins() const;
    // The pins as saved; the engine's other settings are as after reset.
    void restore(const MpssePins& pins);

    // Fault: the next `n` IN tokens get a status-only packet.
    void status_only_packets(unsigned n) { status_only_ += n; }
    // Fault: the next reply starts with a bad-command echo for `opcode`.
    void inject_bad_command(uint8_t opcode) { replies_.insert(replies_.end(), {0xFA, opcode}); }
    // Fault: the reply of the next send-immediate is lost: the chip does
    // not answer it (the commands still run).
    void lose_next_reply() { ++lose_replies_; }

    std::vector<std::string> violations() const;
    void clear_violations();
    uint64_t commands() const { return commands_; }
    // Pin commands that changed a GPIO pin (AD3-7, AC0-7) value or direction.
    uint64_t gpio_changes() const { return gpio_changes_; }
    uint16_t divisor() const { return divisor_; }
    bool three_phase() const { return three_phase_; }
    bool adaptive() const { return adaptive_; }

private:
    // Bytes the command at the front of `p` needs, 0 if unknown yet, or -1
    // for a bad opcode.
    long needed(std::span<const uint8_t> p) const;
    void execute(std::span<const uint8_t> c);
    void shift(std::span<const uint8_t> c);
    // Clocks `n` bits; `out` gives each bit to write (or none), the bits
    // read (sampled on AD2) come back MSB first in the low bits.
    uint32_t clock_bits(unsigned n, const uint8_t* out_bits, bool write_neg, bool write, bool read_neg);
    void update_wire();
    LineDrive line(unsigned pin) const;
    void reply(uint8_t b);
    void violation(std::string what);

    MpsseLimits lim_;
    FtdiI2cWire& wire_;
    bool mpsse_ = false;
    uint8_t low_value_ = 0, low_dir_ = 0, high_value_ = 0, high_dir_ = 0;
    uint8_t od_low_ = 0, od_high_ = 0;
    bool three_phase_ = false;
    bool adaptive_ = false;
    bool div5_ = true;
    bool loopback_ = false;
    uint16_t divisor_ = 0;
    std::array<int, 16> external_;
    std::vector<uint8_t> pending_;
    std::deque<uint8_t> replies_;
    bool flush_ = false;
    bool short_owed_ = false;  // a flush ended on a full packet: a short one follows
    unsigned status_only_ = 0;
    unsigned lose_replies_ = 0;
    uint64_t commands_ = 0;
    uint64_t gpio_changes_ = 0;
    std::vector<std::string> violations_;
};

}  // namespace usbio::models
