// SPDX-License-Identifier: Apache-2.0
#include "models/ftdi_mpsse.hpp"

#include <algorithm>
#include <utility>

namespace usbio::models {

namespace {

constexpr uint8_t kStatus0 = 0x32;  // high-speed packet size, CTS, DSR
constexpr uint8_t kStatus1 = 0x60;  // transmitter empty

// Data-shifting opcode bits (bit 7 clear).
constexpr uint8_t kWriteNeg = 0x01;
constexpr uint8_t kBitMode = 0x02;
constexpr uint8_t kReadNeg = 0x04;
constexpr uint8_t kLsbFirst = 0x08;
constexpr uint8_t kWrite = 0x10;
constexpr uint8_t kRead = 0x20;
constexpr uint8_t kTms = 0x40;

}  // namespace

MpsseEngine::MpsseEngine(MpsseLimits limits, FtdiI2cWire& wire) : lim_(limits), wire_(wire) { external_.fill(-1); }

void MpsseEngine::violation(std::string what) {
    if (violations_.size() < 64) violations_.push_back(std::move(what));
}

std::vector<std::string> MpsseEngine::violations() const {
    std::vector<std::string> v = violations_;
    for (auto& w : wire_.violations()) v.push_back("i2c: " + w);
    return v;
}

void MpsseEngine::clear_violations() {
    violations_.clear();
    wire_.clear_violations();
}

void MpsseEngine::set_bitmode(uint8_t mode, uint8_t mask) {
    const bool on = mode == 0x02;
    if (on && !mpsse_) {
        // Entering MPSSE: the mask sets the low byte's directions, the
        // engine's settings are the chip's defaults.
        low_dir_ = mask;
        low_value_ = 0;
        high_dir_ = 0;
        high_value_ = 0;
        od_low_ = od_high_ = 0;
        three_phase_ = false;
        adaptive_ = false;
        div5_ = true;
        loopback_ = false;
        divisor_ = 0;
    }
    mpsse_ = on;
    pending_.clear();
    update_wire();
}

void MpsseEngine::reset() {
    purge_commands();
    purge_replies();
}

void MpsseEngine::purge_replies() {
    replies_.clear();
    flush_ = false;
    short_owed_ = false;
}

MpssePins MpsseEngine::pins() const {
    return {mpsse_, low_value_, low_dir_, high_value_, high_dir_, od_low_, od_high_, external_};
}

void MpsseEngine::restore(const MpssePins& p) {
    mpsse_ = p.mpsse;
    low_value_ = p.low_value;
    low_dir_ = p.low_dir;
    high_value_ = p.high_value;
    high_dir_ = p.high_dir;
    od_low_ = p.od_low;
    od_high_ = p.od_high;
    external_ = p.external;
    update_wire();
}

void MpsseEngine::set_external(unsigned pin, int level) {
    if (pin < external_.size()) external_[pin] = level < 0 ? -1 : (level ? 1 : 0);
}

LineDrive MpsseEngine::line(unsigned pin) const {
    const uint8_t bit = static_cast<uint8_t>(1u << (pin & 7));
    const uint8_t dir = pin < 8 ? low_dir_ : high_dir_;
    const uint8_t value = pin < 8 ? low_value_ : high_value_;
    const uint8_t od = pin < 8 ? od_low_ : od_high_;
    if (!mpsse_ || !(dir & bit)) return LineDrive::released;
    if (!(value & bit)) return LineDrive::low;
    return (od & bit) ? LineDrive::released : LineDrive::high;
}

void MpsseEngine::update_wire() { wire_.drive(line(0), line(1)); }

uint16_t MpsseEngine::levels() const {
    uint16_t v = 0;
    for (unsigned pin = 0; pin < 16; ++pin) {
        bool level = true;
        if (pin == 0 || (pin == 7 && adaptive_ && line(7) == LineDrive::released)) {
            level = wire_.scl();  // AD7: the returned clock, wired to SCL
        } else if (pin == 1 || pin == 2) {
            level = wire_.sda();
        } else {
            const LineDrive d = line(pin);
            if (d == LineDrive::released)
                level = external_[pin] != 0;  // -1: pull-up
            else
                level = d == LineDrive::high;
        }
        if (level) v |= static_cast<uint16_t>(1u << pin);
    }
    return v;
}

void MpsseEngine::reply(uint8_t b) {
    if (replies_.size() >= lim_.tx_fifo) {
        violation("reply FIFO overflow: more than " + std::to_string(lim_.tx_fifo) + " bytes waiting for the host");
        return;
    }
    replies_.push_back(b);
}

std::optional<std::vector<uint8_t>> MpsseEngine::take_packet(std::size_t max_packet) {
    if (status_only_ > 0) {
        --status_only_;
        return std::vector<uint8_t>{kStatus0, kStatus1};
    }
    if (!reply_ready()) {
        // The chip's latency timer ends a flush that filled its last packet
        // with a status-only packet, so a host's transfer completes.
        if (!std::exchange(short_owed_, false)) return std::nullopt;
        return std::vector<uint8_t>{kStatus0, kStatus1};
    }
    std::vector<uint8_t> p{kStatus0, kStatus1};
    const std::size_t n = std::min(replies_.size(), max_packet - 2);
    p.insert(p.end(), replies_.begin(), replies_.begin() + static_cast<std::ptrdiff_t>(n));
    replies_.erase(replies_.begin(), replies_.begin() + static_cast<std::ptrdiff_t>(n));
    if (replies_.empty()) {
        short_owed_ = flush_ && p.size() == max_packet;
        flush_ = false;
    }
    return p;
}

void MpsseEngine::feed(std::span<const uint8_t> data) {
    if (!mpsse_) return;  // not in MPSSE mode: the bytes would go out as UART data
    pending_.insert(pending_.end(), data.begin(), data.end());
    std::size_t off = 0;
    while (off < pending_.size()) {
        const uint8_t opcode = pending_[off];
        const long need = needed(std::span<const uint8_t>(pending_).subspan(off));
        if (need < 0) {
            reply(0xFA);
            reply(opcode);
            flush_ = true;  // the chip sends the echo at once
            ++off;
            continue;
        }
        if (need == 0 || pending_.size() - off < static_cast<std::size_t>(need)) break;
        execute(std::span<const uint8_t>(pending_.data() + off, static_cast<std::size_t>(need)));
        ++commands_;
        off += static_cast<std::size_t>(need);
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(off));
}

long MpsseEngine::needed(std::span<const uint8_t> p) const {
    const uint8_t c = p[0];
    if (!(c & 0x80)) {
        if ((c & kTms) || !(c & (kWrite | kRead))) return -1;
        // Reading and writing on the same edge is not a command (AN_108 appendix).
        if ((c & kWrite) && (c & kRead) && ((c & kWriteNeg) != 0) == ((c & kReadNeg) != 0)) return -1;
        if (c & kBitMode) return (c & kWrite) ? 3 : 2;
        if (!(c & kWrite)) return 3;
        if (p.size() < 3) return 0;
        return 3 + (p[1] | (p[2] << 8)) + 1;
    }
    switch (c) {
    case 0x80: return 3;
    case 0x81: return 1;
    case 0x82: return lim_.high_byte ? 3 : -1;
    case 0x83: return lim_.high_byte ? 1 : -1;
    case 0x84:
    case 0x85:
    case 0x87:
    case 0x8A:
    case 0x8B:
    case 0x8C:
    case 0x8D:
    case 0x97: return 1;
    case 0x96: return lim_.adaptive ? 1 : -1;
    case 0x86: return 3;
    case 0x8E: return 2;
    case 0x8F: return 3;
    case 0x9E: return lim_.drive_zero ? 3 : -1;
    default: return -1;
    }
}

void MpsseEngine::execute(std::span<const uint8_t> c) {
    switch (c[0]) {
    case 0x80:
        if (((low_value_ ^ c[1]) | (low_dir_ ^ c[2])) & 0xF8) ++gpio_changes_;
        low_value_ = c[1];
        low_dir_ = c[2];
        if (low_dir_ & 0x04) violation("AD2 (SDA in) made an output: it fights SDA");
        if (adaptive_ && (low_dir_ & 0x80)) violation("AD7 made an output with adaptive clocking on: it fights SCL");
        update_wire();
        // A pin command takes no clock, but the target's stretch goes on.
        if (wire_.scl_held() && line(0) != LineDrive::low) wire_.pass_bit_time(false);
        return;
    case 0x81: reply(static_cast<uint8_t>(levels() & 0xff)); return;
    case 0x82:
        if ((high_value_ ^ c[1]) | (high_dir_ ^ c[2])) ++gpio_changes_;
        high_value_ = c[1];
        high_dir_ = c[2];
        return;
    case 0x83: reply(static_cast<uint8_t>(levels() >> 8)); return;
    case 0x84: loopback_ = true; return;
    case 0x85: loopback_ = false; return;
    case 0x86: divisor_ = static_cast<uint16_t>(c[1] | (c[2] << 8)); return;
    case 0x87:
        if (lose_replies_ > 0 && !replies_.empty()) {
            --lose_replies_;
            replies_.clear();
        }
        flush_ = !replies_.empty();
        return;
    case 0x8A: div5_ = false; return;
    case 0x8B: div5_ = true; return;
    case 0x8C: three_phase_ = true; return;
    case 0x8D: three_phase_ = false; return;
    case 0x96:
        adaptive_ = true;
        if (low_dir_ & 0x80) violation("adaptive clocking on with AD7 an output: it fights SCL");
        return;
    case 0x97: adaptive_ = false; return;
    case 0x8E: clock_bits(c[1] + 1u, nullptr, true, false, false); return;
    case 0x8F: clock_bits((static_cast<unsigned>(c[1] | (c[2] << 8)) + 1u) * 8, nullptr, true, false, false); return;
    case 0x9E:
        od_low_ = c[1];
        od_high_ = c[2];
        update_wire();
        return;
    default: shift(c); return;
    }
}

void MpsseEngine::shift(std::span<const uint8_t> c) {
    const uint8_t opc = c[0];
    const bool write = opc & kWrite;
    const bool read = opc & kRead;
    const bool lsb = opc & kLsbFirst;
    if (write && !three_phase_)
        violation("data clocked out with two-phase clocking: SDA changes as SCL falls, with no hold time");
    auto bits_of = [lsb](uint8_t byte, unsigned n, uint8_t* out) {
        for (unsigned i = 0; i < n; ++i) out[i] = lsb ? ((byte >> i) & 1) : ((byte >> (7 - i)) & 1);
    };
    auto byte_of = [lsb](uint32_t in, unsigned n) {
        // clock_bits returns the first bit in the highest of n positions.
        // MSB first the chip shifts left (the first bit ends in bit n-1);
        // LSB first it shifts right from bit 7 (the first bit ends in 8-n).
        if (!lsb) return static_cast<uint8_t>(in);
        uint8_t v = 0;
        for (unsigned i = 0; i < n; ++i)
            if (in & (1u << (n - 1 - i))) v |= static_cast<uint8_t>(1u << (8 - n + i));
        return v;
    };
    uint8_t bits[8];
    if (opc & kBitMode) {
        const unsigned n = (c[1] & 7) + 1u;
        if (write) bits_of(c[2], n, bits);
        const uint32_t in = clock_bits(n, write ? bits : nullptr, opc & kWriteNeg, write, opc & kReadNeg);
        if (read) reply(byte_of(in, n));
        return;
    }
    const std::size_t n = static_cast<std::size_t>(c[1] | (c[2] << 8)) + 1;
    for (std::size_t i = 0; i < n; ++i) {
        if (write) bits_of(c[3 + i], 8, bits);
        const uint32_t in = clock_bits(8, write ? bits : nullptr, opc & kWriteNeg, write, opc & kReadNeg);
        if (read) reply(byte_of(in, 8));
    }
}

uint32_t MpsseEngine::clock_bits(unsigned n, const uint8_t* out_bits, bool write_neg, bool write, bool read_neg) {
    // TCK/SK on AD0 rests at its latched level and pulses away from it;
    // DO is AD1, DI is AD2.
    const bool idle = low_value_ & 0x01;
    auto set_clock = [&](bool level) {
        low_value_ = static_cast<uint8_t>((low_value_ & ~0x01) | (level ? 1 : 0));
        update_wire();
    };
    auto set_do = [&](uint8_t bit) {
        low_value_ = static_cast<uint8_t>((low_value_ & ~0x02) | (bit ? 0x02 : 0));
        update_wire();
    };
    auto sample = [&] { return loopback_ ? ((low_value_ >> 1) & 1) : (wire_.sda() ? 1 : 0); };
    uint32_t in = 0;
    for (unsigned i = 0; i < n; ++i) {
        int bit = 0;
        // Data for the falling edge is set up while the clock rests (three
        // phases: set up, first edge, second edge).
        if (write && write_neg) set_do(out_bits[i]);
        set_clock(!idle);
        if (wire_.scl_held()) {
            // RTCK (AD7 = SCL) stays low: with adaptive clocking the engine
            // waits for it; without, the clock runs on unseen.
            if (adaptive_)
                wire_.wait_for_scl();
            else
                wire_.pass_bit_time(true);
        }
        if (write && !write_neg) set_do(out_bits[i]);
        // Rising-edge reads sample here; falling-edge reads sample just
        // before the clock returns, which is the same level (targets change
        // SDA only after the falling edge).
        (void)read_neg;
        bit = sample();
        set_clock(idle);
        in = (in << 1) | static_cast<uint32_t>(bit);
    }
    return in;
}

}  // namespace usbio::models
