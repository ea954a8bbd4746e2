// SPDX-License-Identifier: Apache-2.0
#include <cstdio>
#include <vector>

#include "i2c_core.hpp"

namespace usbio {

namespace {

std::string hex_addr(uint16_t a) {
    char b[8];
    std::snprintf(b, sizeof b, "0x%02x", a);
    return b;
}

// "i2c 0x50" or "i2c 0x50 (write 2, read 8)": what the message names.
std::string describe(std::span<const I2cMsg> msgs) {
    std::string s = "i2c " + (msgs.empty() ? std::string("transfer") : hex_addr(msgs[0].addr));
    std::string parts;
    for (const auto& m : msgs) {
        if (!parts.empty()) parts += ", ";
        parts += (m.flags & I2cMsg::read) ? "read " : "write ";
        parts += std::to_string(m.buf.size());
        if (m.addr != msgs[0].addr) parts += "@" + hex_addr(m.addr);
    }
    return s + " (" + parts + ")";
}

}  // namespace

namespace detail {

Result<void> I2cBusCore::transfer(std::span<I2cMsg> msgs) {
    // The description is built only when a message needs it: a successful
    // transfer formats nothing.
    auto what = [&] { return describe(msgs); };
    auto invalid = [&](const std::string& why) {
        return make_error(EINVAL, dev.info().display_name() + ": " + what() + ": " + why);
    };
    if (msgs.empty()) return invalid("no messages");
    for (const auto& m : msgs) {
        if (m.flags & I2cMsg::ten_bit) {
            if (!info.ten_bit)
                return make_error(EOPNOTSUPP,
                                  dev.info().display_name() + ": " + what() + ": the adapter has no 10-bit addressing");
            if (m.addr > 0x3ff)
                return invalid("address " + hex_addr(m.addr) + " is not a 10-bit address (0x000-0x3ff)");
        } else if (m.addr > 0x7f) {
            return invalid("address " + hex_addr(m.addr) + " is not a 7-bit address (0x00-0x7f)");
        }
        bool rd = m.flags & I2cMsg::read;
        if (rd && m.buf.size() > info.max_read)
            return invalid("read of " + std::to_string(m.buf.size()) + " bytes exceeds the adapter's limit of " +
                           std::to_string(info.max_read));
        if (!rd && m.buf.size() > info.max_write)
            return invalid("write of " + std::to_string(m.buf.size()) + " bytes exceeds the adapter's limit of " +
                           std::to_string(info.max_write) + " (a longer write cannot be one bus transaction)");
        if ((m.flags & I2cMsg::recv_len) && (!rd || m.buf.size() < 2))
            return invalid("block read needs a read buffer of at least 2 bytes");
    }
    if (msgs.size() == 2 && !(msgs[0].flags & I2cMsg::read) && (msgs[1].flags & I2cMsg::read) &&
        msgs[0].buf.size() > info.max_write_before_read)
        return invalid("write of " + std::to_string(msgs[0].buf.size()) +
                       " bytes before a repeated-START read exceeds the adapter's limit of " +
                       std::to_string(info.max_write_before_read));

    // Block reads (count byte first) are read at full buffer length and
    // trimmed here, so drivers only ever see plain reads.
    // Only such transfers are copied to clear the flag.
    bool block_read = false;
    for (const auto& m : msgs) block_read |= (m.flags & I2cMsg::recv_len) != 0;
    std::vector<I2cMsg> plain;
    std::span<I2cMsg> to_driver = msgs;
    if (block_read) {
        plain.assign(msgs.begin(), msgs.end());
        for (auto& m : plain) m.flags &= ~I2cMsg::recv_len;
        to_driver = plain;
    }
    std::string detail;
    auto what_failed = [&] { return detail.empty() ? what() : what() + ": " + detail; };
    auto run = [&](driver::I2cOps& ops) {
        const std::error_code ec = ops.transfer(to_driver);
        if (ec) detail = ops.failure_detail();
        return ec;
    };
    if (auto r = call(run, what_failed); !r) return r;
    for (const auto& m : msgs) {
        if ((m.flags & I2cMsg::recv_len) && m.buf[0] > m.buf.size() - 1)
            return make_error(EPROTO, dev.info().display_name() + ": " + what() + ": block count " +
                                          std::to_string(m.buf[0]) + " does not fit the " +
                                          std::to_string(m.buf.size() - 1) + "-byte buffer");
    }
    return {};
}

}  // namespace detail

const char* to_string(AckCheck mode) noexcept {
    switch (mode) {
    case AckCheck::at_end: return "at_end";
    case AckCheck::after_address: return "after_address";
    case AckCheck::each_byte: return "each_byte";
    }
    return "?";
}

I2cBusInfo I2cBus::info() const { return core_ ? core_->info : I2cBusInfo{}; }

Result<void> I2cBus::transfer(std::span<I2cMsg> msgs) {
    if (!core_) return make_error(ENODEV, "empty i2c bus handle");
    return core_->transfer(msgs);
}

Result<void> I2cBus::write(uint16_t addr, std::span<const uint8_t> data) {
    I2cMsg m{addr, 0, {const_cast<uint8_t*>(data.data()), data.size()}};  // write: never modified
    return transfer({&m, 1});
}

Result<void> I2cBus::read(uint16_t addr, std::span<uint8_t> data) {
    I2cMsg m{addr, I2cMsg::read, data};
    return transfer({&m, 1});
}

Result<void> I2cBus::write_read(uint16_t addr, std::span<const uint8_t> out, std::span<uint8_t> in) {
    I2cMsg m[2] = {{addr, 0, {const_cast<uint8_t*>(out.data()), out.size()}}, {addr, I2cMsg::read, in}};
    return transfer(m);
}

Result<uint8_t> I2cBus::read_byte(uint16_t addr) {
    uint8_t v = 0;
    if (auto r = read(addr, {&v, 1}); !r) return r.error();
    return v;
}

Result<void> I2cBus::write_byte(uint16_t addr, uint8_t value) { return write(addr, {&value, 1}); }

Result<uint8_t> I2cBus::read_byte_data(uint16_t addr, uint8_t command) {
    uint8_t v = 0;
    if (auto r = write_read(addr, {&command, 1}, {&v, 1}); !r) return r.error();
    return v;
}

Result<void> I2cBus::write_byte_data(uint16_t addr, uint8_t command, uint8_t value) {
    uint8_t b[2] = {command, value};
    return write(addr, b);
}

Result<uint16_t> I2cBus::read_word_data(uint16_t addr, uint8_t command) {
    uint8_t b[2] = {};
    if (auto r = write_read(addr, {&command, 1}, b); !r) return r.error();
    return static_cast<uint16_t>(b[0] | (b[1] << 8));
}

Result<void> I2cBus::write_word_data(uint16_t addr, uint8_t command, uint16_t value) {
    uint8_t b[3] = {command, static_cast<uint8_t>(value & 0xff), static_cast<uint8_t>(value >> 8)};
    return write(addr, b);
}

Result<std::vector<uint8_t>> I2cBus::read_block_data(uint16_t addr, uint8_t command) {
    uint8_t b[33] = {};  // count + up to 32 bytes (SMBus block maximum)
    I2cMsg m[2] = {{addr, 0, {&command, 1}}, {addr, I2cMsg::read | I2cMsg::recv_len, b}};
    if (auto r = transfer(m); !r) return r.error();
    return std::vector<uint8_t>(b + 1, b + 1 + b[0]);
}

Result<void> I2cBus::write_block_data(uint16_t addr, uint8_t command, std::span<const uint8_t> data) {
    if (data.size() > 32)
        return make_error(EINVAL, "SMBus block write of " + std::to_string(data.size()) + " bytes to " +
                                      hex_addr(addr) + ": at most 32 bytes");
    std::vector<uint8_t> b;
    b.reserve(data.size() + 2);
    b.push_back(command);
    b.push_back(static_cast<uint8_t>(data.size()));
    b.insert(b.end(), data.begin(), data.end());
    return write(addr, b);
}

Result<void> I2cBus::read_i2c_block_data(uint16_t addr, uint8_t command, std::span<uint8_t> data) {
    return write_read(addr, {&command, 1}, data);
}

Result<uint32_t> I2cBus::bitrate() const {
    if (!core_) return make_error(ENODEV, "empty i2c bus handle");
    uint32_t hz = 0;
    if (auto r = core_->call([&](driver::I2cOps& ops) { return ops.get_bitrate(hz); },
                             [] { return std::string("reading the i2c bus clock"); });
        !r)
        return r.error();
    return hz;
}

Result<void> I2cBus::set_bitrate(uint32_t hz) {
    if (!core_) return make_error(ENODEV, "empty i2c bus handle");
    const std::string what = "setting the i2c bus clock to " + std::to_string(hz) + " Hz";
    if (hz < core_->info.min_bitrate || hz > core_->info.max_bitrate)
        return make_error(EINVAL, core_->dev.info().display_name() + ": " + what + ": supported range is " +
                                      std::to_string(core_->info.min_bitrate) + "-" +
                                      std::to_string(core_->info.max_bitrate) + " Hz");
    return core_->call([&](driver::I2cOps& ops) { return ops.set_bitrate(hz); }, [&] { return what; });
}

Result<void> I2cBus::recover() {
    if (!core_) return make_error(ENODEV, "empty i2c bus handle");
    int failed = 0;
    auto r = core_->call(
        [&](driver::I2cOps& ops) {
            const std::error_code ec = ops.recover();
            failed = ec.value();
            return ec;
        },
        [&] {
            std::string what = "i2c bus recovery";
            if (failed == EOPNOTSUPP)
                what += ": the adapter cannot clock the bus by itself (its I2C engine sends whole transactions)";
            if (failed == EIO) what += ": SDA is still held low after nine clocks (a target or a short holds it)";
            return what;
        });
    return r;
}

Result<void> I2cBus::set_clock_stretching(bool on) {
    if (!core_) return make_error(ENODEV, "empty i2c bus handle");
    int failed = 0;
    return core_->call(
        [&](driver::I2cOps& ops) {
            const std::error_code ec = ops.set_clock_stretching(on);
            failed = ec.value();
            return ec;
        },
        [&] {
            std::string what = std::string("turning i2c clock stretching ") + (on ? "on" : "off");
            if (failed == EOPNOTSUPP) what += ": the adapter cannot make its clock wait for a target";
            return what;
        });
}

Result<void> I2cBus::set_ack_check(AckCheck mode) {
    if (!core_) return make_error(ENODEV, "empty i2c bus handle");
    if (mode != AckCheck::at_end && mode != AckCheck::after_address && mode != AckCheck::each_byte)
        return make_error(EINVAL, core_->dev.info().display_name() + ": i2c ACK check mode " +
                                      std::to_string(static_cast<int>(mode)) + " does not exist");
    const bool only_at_end = !core_->info.ack_check_modes;
    auto what = [&] {
        return std::string("setting the i2c ACK check to ") + to_string(mode) +
               (only_at_end ? " (the adapter stops on a NACK by itself: at_end is its only mode)" : "");
    };
    return core_->call([&](driver::I2cOps& ops) { return ops.set_ack_check(mode); }, what);
}

Result<AckCheck> I2cBus::ack_check() const {
    if (!core_) return make_error(ENODEV, "empty i2c bus handle");
    AckCheck mode = AckCheck::at_end;
    if (auto r = core_->call([&](driver::I2cOps& ops) { return ops.get_ack_check(mode); },
                             [] { return std::string("reading the i2c ACK check mode"); });
        !r)
        return r.error();
    return mode;
}

}  // namespace usbio
