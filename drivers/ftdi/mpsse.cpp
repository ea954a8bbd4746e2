// SPDX-License-Identifier: Apache-2.0
#include "ftdi/mpsse.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <utility>

namespace usbio::ftdi {

namespace {

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

std::string hex(unsigned v, int width) {
    char b[12];
    std::snprintf(b, sizeof b, "0x%0*x", width, v);
    return b;
}

// SDA as the master leaves it: pulled low, released to the target (and the
// pull-up), or driven for the master's own data bits (push-pull chips).
enum class Sda : uint8_t { low, released, driven };

class Encoder {
public:
    Encoder(SdaMode mode, const Timing& t, const PinShadow& gpio, I2cProgram& out)
        : mode_(mode), t_(t), gpio_(gpio), p_(out) {}

    void pins(bool scl, Sda sda, unsigned repeat = 1) {
        uint8_t value = scl ? kScl : 0;
        uint8_t dir = kScl;
        if (mode_ == SdaMode::drive_zero) {
            dir |= kSdaOut;
            if (sda != Sda::low) value |= kSdaOut;
        } else if (sda == Sda::low) {
            dir |= kSdaOut;
        } else {
            value |= kSdaOut;
            if (sda == Sda::driven) dir |= kSdaOut;
        }
        value |= gpio_.low_value & ~kI2cPins;
        dir |= gpio_.low_dir & ~kI2cPins;
        for (unsigned i = 0; i < std::max(repeat, 1u); ++i) p_.cmd.insert(p_.cmd.end(), {op::set_low, value, dir});
    }

    void bus_check() {
        p_.cmd.push_back(op::read_low);
        p_.reply.push_back({ReplyItem::Kind::bus_idle, 0, 0});
    }

    // From idle (SCL and SDA high).
    void start() {
        pins(true, Sda::released, t_.buf);
        pins(true, Sda::low, t_.hd_sta);
        pins(false, Sda::low);
    }

    // From SCL low after a byte.
    void repeated_start() {
        pins(false, Sda::released);
        pins(true, Sda::released, t_.su_sta);
        pins(true, Sda::low, t_.hd_sta);
        pins(false, Sda::low);
    }

    // From SCL low after a byte; built apart so a transfer can also end
    // early with it.
    std::vector<uint8_t> stop_sequence() {
        std::vector<uint8_t> program = std::exchange(p_.cmd, {});
        pins(false, Sda::low);
        pins(true, Sda::low, t_.su_sto);
        pins(true, Sda::released, t_.buf);
        return std::exchange(p_.cmd, std::move(program));
    }

    void write_byte(uint8_t b, ReplyItem item, bool is_address) {
        if (mode_ == SdaMode::switch_direction) pins(false, Sda::driven);
        p_.cmd.insert(p_.cmd.end(), {op::write_bytes_neg, 0x00, 0x00, b});
        pins(false, Sda::released);
        p_.cmd.insert(p_.cmd.end(), {op::read_bits_pos, 0x00});
        p_.reply.push_back(item);
        cut(is_address, true);
    }

    void read_byte(ReplyItem item, bool last) {
        p_.cmd.insert(p_.cmd.end(), {op::read_bytes_pos, 0x00, 0x00});
        p_.reply.push_back(item);
        if (last) {
            // NACK: SDA stays released for the ninth clock.
            p_.cmd.insert(p_.cmd.end(), {op::write_bits_neg, 0x00, 0x80});
        } else {
            if (mode_ == SdaMode::switch_direction) pins(false, Sda::low);
            p_.cmd.insert(p_.cmd.end(), {op::write_bits_neg, 0x00, 0x00});
            pins(false, Sda::released);
        }
        cut(false, false);
    }

    void cut(bool after_address, bool after_write) {
        p_.cuts.push_back({p_.cmd.size(), p_.reply.size(), after_address, after_write});
    }

private:
    SdaMode mode_;
    Timing t_;
    PinShadow gpio_;
    I2cProgram& p_;
};

unsigned repeats(double us) { return std::max(1u, static_cast<unsigned>((us + 0.499) / 0.5)); }

}  // namespace

std::error_code clock_for(uint32_t hz, ClockSetting& out) {
    if (hz < kMinBitrate || hz > kMaxBitrate) return err(EINVAL);
    const uint64_t per_bit = 3ull * hz;
    const uint64_t div = (kMasterClockHz + per_bit - 1) / per_bit - 1;
    out.divisor = static_cast<uint16_t>(div);
    out.bus_hz = static_cast<uint32_t>(kMasterClockHz / (3 * (div + 1)));
    return {};
}

std::vector<uint8_t> setup_commands(const ClockSetting& clock, SdaMode mode, const PinShadow& gpio, bool high_byte) {
    std::vector<uint8_t> c = {op::div5_off,
                              op::adaptive_off,
                              op::three_phase_on,
                              op::loopback_off,
                              op::set_divisor,
                              static_cast<uint8_t>(clock.divisor & 0xff),
                              static_cast<uint8_t>(clock.divisor >> 8)};
    if (mode == SdaMode::drive_zero) c.insert(c.end(), {op::drive_zero, kScl | kSdaOut, 0x00});
    const auto low = idle_low_byte(mode, gpio);
    c.insert(c.end(), low.begin(), low.end());
    if (high_byte) c.insert(c.end(), {op::set_high, gpio.high_value, gpio.high_dir});
    return c;
}

std::vector<uint8_t> idle_low_byte(SdaMode mode, const PinShadow& gpio) {
    I2cProgram p;
    Encoder(mode, Timing{}, gpio, p).pins(true, Sda::released);
    return p.cmd;
}

std::vector<uint8_t> stop_commands(SdaMode mode, const Timing& t, const PinShadow& gpio) {
    I2cProgram p;
    return Encoder(mode, t, gpio, p).stop_sequence();
}

std::vector<uint8_t> recovery_commands(SdaMode mode, const Timing& t, const PinShadow& gpio) {
    I2cProgram p;
    Encoder e(mode, t, gpio, p);
    e.pins(false, Sda::released);
    p.cmd.insert(p.cmd.end(), {op::read_bits_pos, 0x07, op::read_bits_pos, 0x00, op::read_low});
    const std::vector<uint8_t> stop = e.stop_sequence();
    p.cmd.insert(p.cmd.end(), stop.begin(), stop.end());
    p.cmd.push_back(op::send_immediate);
    return p.cmd;
}

Timing timing_for(uint32_t bus_hz) {
    // I2C specification minimums (standard, fast, fast-mode plus), in us.
    if (bus_hz <= 100'000) return {repeats(4.0), repeats(4.7), repeats(4.0), repeats(4.7)};
    if (bus_hz <= 400'000) return {repeats(0.6), repeats(0.6), repeats(0.6), repeats(1.3)};
    return {repeats(0.26), repeats(0.26), repeats(0.26), repeats(0.5)};
}

std::error_code encode_transfer(std::span<const I2cMsg> msgs, SdaMode mode, const Timing& t, const PinShadow& gpio,
                                I2cProgram& out) {
    out = I2cProgram{};
    if (msgs.empty()) return err(EINVAL);
    for (const auto& m : msgs) {
        const bool ten = m.flags & I2cMsg::ten_bit;
        if (m.addr > (ten ? 0x3ff : 0x7f)) return err(EINVAL);
        if ((m.flags & I2cMsg::read) && m.buf.empty()) return err(EOPNOTSUPP);
        if (m.buf.size() > 0xffff) return err(EINVAL);
    }
    Encoder e(mode, t, gpio, out);
    e.bus_check();
    e.start();
    for (std::size_t i = 0; i < msgs.size(); ++i) {
        const I2cMsg& m = msgs[i];
        const auto msg = static_cast<uint16_t>(i);
        const bool rd = m.flags & I2cMsg::read;
        if (i > 0) e.repeated_start();
        const ReplyItem ack{ReplyItem::Kind::address_ack, msg, 0};
        if (m.flags & I2cMsg::ten_bit) {
            // 11110 a9 a8 W, a7..a0; a read repeats the first byte with R
            // after a repeated START (I2C specification 3.1.11).
            const auto first = static_cast<uint8_t>(0xF0 | ((m.addr >> 7) & 0x06));
            e.write_byte(first, ack, true);
            e.write_byte(static_cast<uint8_t>(m.addr & 0xff), ack, true);
            if (rd) {
                e.repeated_start();
                e.write_byte(first | 1, ack, true);
            }
        } else {
            e.write_byte(static_cast<uint8_t>((m.addr << 1) | (rd ? 1 : 0)), ack, true);
        }
        for (std::size_t j = 0; j < m.buf.size(); ++j) {
            const auto idx = static_cast<uint16_t>(j);
            if (rd)
                e.read_byte({ReplyItem::Kind::data, msg, idx}, j + 1 == m.buf.size());
            else
                e.write_byte(m.buf[j], {ReplyItem::Kind::data_ack, msg, idx}, false);
        }
    }
    out.stop = e.stop_sequence();
    out.cmd.insert(out.cmd.end(), out.stop.begin(), out.stop.end());
    out.cuts.push_back({out.cmd.size(), out.reply.size(), false, false});
    return {};
}

std::vector<uint8_t> one_buffer(const I2cProgram& p) {
    std::vector<uint8_t> b = p.cmd;
    b.push_back(op::send_immediate);
    return b;
}

std::vector<Round> plan_rounds(const I2cProgram& p, AckCheck check, std::size_t max_reply, std::size_t max_cmd) {
    std::vector<Round> rounds;
    Round cur;
    const I2cProgram::Cut* last = nullptr;
    bool address_cut = false;
    auto close = [&](const I2cProgram::Cut& c) {
        cur.cmd_end = c.cmd_end;
        cur.reply_end = c.reply_end;
        rounds.push_back(cur);
        cur = Round{c.cmd_end, c.cmd_end, c.reply_end, c.reply_end};
        last = nullptr;
    };
    for (const auto& c : p.cuts) {
        // +1: the send-immediate each round ends with.
        const bool too_big = c.cmd_end - cur.cmd_begin + 1 > max_cmd || c.reply_end - cur.reply_begin > max_reply;
        if (too_big && last) close(*last);
        last = &c;
        // Nothing is learnt by cutting before the STOP alone.
        const bool more = c.reply_end < p.reply.size();
        bool forced = false;
        if (more && check == AckCheck::after_address && c.after_address && !address_cut) forced = address_cut = true;
        if (more && check == AckCheck::each_byte && c.after_write) forced = true;
        if (forced) close(c);
    }
    if (last) close(*last);
    return rounds;
}

std::string I2cFailure::describe() const {
    switch (error) {
    case 0: return "ok";
    case ENXIO: return "address " + hex(addr, addr > 0x7f ? 3 : 2) + " not acknowledged";
    case EIO:
        return "byte " + std::to_string(index) + " of message " + std::to_string(msg) + " to " +
               hex(addr, addr > 0x7f ? 3 : 2) + " not acknowledged";
    case ETIMEDOUT: return "bus busy: SDA held low before START";
    default: return std::system_category().message(error);
    }
}

std::error_code decode_reply(const I2cProgram& p, std::size_t first, std::span<const uint8_t> bytes,
                             std::span<I2cMsg> msgs, I2cFailure& failure) {
    if (first > p.reply.size() || bytes.size() > p.reply.size() - first) return err(EPROTO);
    for (std::size_t k = 0; k < bytes.size(); ++k) {
        const ReplyItem& it = p.reply[first + k];
        if (it.msg >= msgs.size()) return err(EPROTO);
        I2cMsg& m = msgs[it.msg];
        auto fail = [&](int e) {
            if (failure.error == 0) failure = I2cFailure{e, it.msg, it.index, m.addr};
        };
        const uint8_t b = bytes[k];
        switch (it.kind) {
        case ReplyItem::Kind::bus_idle:
            if (!(b & kSdaIn)) fail(ETIMEDOUT);
            break;
        case ReplyItem::Kind::address_ack:
            if (b & 1) fail(ENXIO);
            break;
        case ReplyItem::Kind::data_ack:
            if (b & 1) fail(EIO);
            break;
        case ReplyItem::Kind::data:
            if (it.index >= m.buf.size()) return err(EPROTO);
            m.buf[it.index] = b;
            break;
        }
    }
    return {};
}

std::error_code strip_status(std::span<const uint8_t> transfer, std::size_t max_packet, std::vector<uint8_t>& out) {
    if (max_packet <= 2) return err(EINVAL);
    for (std::size_t off = 0; off < transfer.size(); off += max_packet) {
        const std::size_t n = std::min(max_packet, transfer.size() - off);
        if (n < 2) return err(EPROTO);
        out.insert(out.end(), transfer.begin() + static_cast<std::ptrdiff_t>(off + 2),
                   transfer.begin() + static_cast<std::ptrdiff_t>(off + n));
    }
    return {};
}

int bad_command_in(std::span<const uint8_t> reply, std::size_t expected) {
    if (reply.size() <= expected) return -1;
    for (std::size_t i = 0; i + 1 < reply.size(); ++i)
        if (reply[i] == op::bad_command_reply) return reply[i + 1];
    return -1;
}

}  // namespace usbio::ftdi
