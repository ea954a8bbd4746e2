// SPDX-License-Identifier: Apache-2.0
// GPIO on the pins I2C leaves free: ADBUS3..7 (lines 0-4) and ACBUS0..7
// (lines 5-12). Both pin bytes are kept in one shadow; every write sends the
// whole byte (0x80 / 0x82 set value and direction together) with the I2C
// pins at their idle levels, under the lock transfers hold, so no write
// lands inside a transfer or glitches another line. Open drain is emulated
// by direction: low = output driving 0, high = input.
#include <cerrno>

#include "ftdi/chip.hpp"

namespace usbio::ftdi {

namespace {

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

constexpr std::chrono::milliseconds kGpioBudget{1000};

struct Pin {
    bool high;    // ACBUS
    uint8_t bit;  // in its byte
};

Pin pin_of(unsigned offset) {
    return offset < 5 ? Pin{false, static_cast<uint8_t>(1u << (offset + 3))}
                      : Pin{true, static_cast<uint8_t>(1u << (offset - 5))};
}

}  // namespace

std::error_code Chip::write_pins(bool low, bool high) {
    std::vector<uint8_t> cmd;
    if (low) cmd = idle_low_byte(mode_, shadow_);
    if (high && var_.high_byte) cmd.insert(cmd.end(), {op::set_high, shadow_.high_value, shadow_.high_dir});
    if (cmd.empty()) return {};
    if (need_sync_) recover_stream();
    const std::error_code ec = write_cmd(cmd, Clock::now() + kGpioBudget);
    if (ec && ec.value() != ENODEV) need_sync_ = true;
    return ec;
}

std::error_code Chip::read_pins(uint16_t& levels) {
    if (need_sync_) recover_stream();
    std::vector<uint8_t> cmd{op::read_low};
    if (var_.high_byte) cmd.push_back(op::read_high);
    cmd.push_back(op::send_immediate);
    std::vector<uint8_t> reply;
    if (auto ec = exchange(cmd, var_.high_byte ? 2 : 1, reply, Clock::now() + kGpioBudget)) return after_failure(ec);
    // Lines 0-4 are low-byte bits 3-7; lines 5-12 the high byte.
    levels = static_cast<uint16_t>(reply[0] >> 3);
    if (var_.high_byte) levels |= static_cast<uint16_t>(reply[1] << 5);
    return {};
}

std::error_code Chip::configure(unsigned offset, const driver::GpioLineConfig& cfg) {
    if (offset >= num_lines()) return err(EINVAL);
    if (cfg.drive == Drive::open_source) return err(EOPNOTSUPP);
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk || aborted_.load(std::memory_order_acquire)) return err(ENODEV);
    if (offset == kRtckLine && clock_stretching()) return err(EBUSY);
    const PinShadow saved = shadow_;
    const uint16_t saved_od = open_drain_, saved_od_value = od_value_;
    const Pin p = pin_of(offset);
    const auto line = static_cast<uint16_t>(1u << offset);
    uint8_t& value = p.high ? shadow_.high_value : shadow_.low_value;
    uint8_t& dir = p.high ? shadow_.high_dir : shadow_.low_dir;
    open_drain_ &= static_cast<uint16_t>(~line);
    od_value_ &= static_cast<uint16_t>(~line);
    if (cfg.direction == Direction::input) {
        dir &= static_cast<uint8_t>(~p.bit);
    } else if (cfg.drive == Drive::open_drain) {
        open_drain_ |= line;
        if (cfg.value) od_value_ |= line;
        value &= static_cast<uint8_t>(~p.bit);
        dir = cfg.value ? (dir & ~p.bit) : (dir | p.bit);
    } else {
        value = cfg.value ? (value | p.bit) : (value & ~p.bit);
        dir |= p.bit;
    }
    // Value and direction go in one command: the line never shows a
    // stale level.
    if (auto ec = write_pins(!p.high, p.high)) {
        shadow_ = saved;
        open_drain_ = saved_od;
        od_value_ = saved_od_value;
        return ec;
    }
    return {};
}

std::error_code Chip::get_config(unsigned offset, driver::GpioLineConfig& cfg) {
    if (offset >= num_lines()) return err(EINVAL);
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk || aborted_.load(std::memory_order_acquire)) return err(ENODEV);
    const Pin p = pin_of(offset);
    const auto line = static_cast<uint16_t>(1u << offset);
    const uint8_t value = p.high ? shadow_.high_value : shadow_.low_value;
    const uint8_t dir = p.high ? shadow_.high_dir : shadow_.low_dir;
    cfg.function = offset == kRtckLine && clock_stretching() ? kRtckFunction : "";
    if (open_drain_ & line) {
        cfg.direction = Direction::output;
        cfg.drive = Drive::open_drain;
        cfg.value = od_value_ & line;
        return {};
    }
    cfg.drive = Drive::push_pull;
    if (dir & p.bit) {
        cfg.direction = Direction::output;
        cfg.value = value & p.bit;
        return {};
    }
    cfg.direction = Direction::input;
    uint16_t levels = 0;
    if (auto ec = read_pins(levels)) return ec;
    cfg.value = levels & line;
    return {};
}

std::error_code Chip::get(uint64_t mask, uint64_t& levels) {
    if (mask >> num_lines()) return err(EINVAL);
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk || aborted_.load(std::memory_order_acquire)) return err(ENODEV);
    uint16_t l = 0;
    if (auto ec = read_pins(l)) return ec;
    levels = l & mask;
    return {};
}

std::error_code Chip::set(uint64_t mask, uint64_t levels) {
    if (mask >> num_lines()) return err(EINVAL);
    if (mask == 0) return {};
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk || aborted_.load(std::memory_order_acquire)) return err(ENODEV);
    const PinShadow saved = shadow_;
    const uint16_t saved_od_value = od_value_;
    bool low = false, high = false;
    for (unsigned o = 0; o < num_lines(); ++o) {
        const auto line = static_cast<uint16_t>(1u << o);
        if (!(mask & line)) continue;
        const Pin p = pin_of(o);
        const bool on = levels & line;
        (p.high ? high : low) = true;
        uint8_t& value = p.high ? shadow_.high_value : shadow_.low_value;
        uint8_t& dir = p.high ? shadow_.high_dir : shadow_.low_dir;
        if (open_drain_ & line) {
            od_value_ = on ? (od_value_ | line) : (od_value_ & ~line);
            dir = on ? (dir & ~p.bit) : (dir | p.bit);
        } else {
            value = on ? (value | p.bit) : (value & ~p.bit);
        }
    }
    if (auto ec = write_pins(low, high)) {
        shadow_ = saved;
        od_value_ = saved_od_value;
        return ec;
    }
    return {};
}

}  // namespace usbio::ftdi
