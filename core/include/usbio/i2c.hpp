// SPDX-License-Identifier: Apache-2.0
// I2C buses: combined transfers as Linux's I2C_RDWR, and SMBus helpers.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "usbio/error.hpp"
#include "usbio/export.hpp"

namespace usbio {

namespace detail {
class I2cBusCore;
struct Access;
}  // namespace detail

// One message of a combined transfer. Messages after the first start with a
// repeated START; the transfer ends with STOP.
struct I2cMsg {
    enum Flags : uint16_t {
        read = 0x0001,      // read into buf (else write buf)
        ten_bit = 0x0010,   // addr is a 10-bit address (0..0x3ff); needs I2cBusInfo::ten_bit
        recv_len = 0x0400,  // SMBus block read: first byte read is the count (buf must hold 33)
    };
    uint16_t addr = 0;  // 7-bit address (10-bit with ten_bit)
    uint16_t flags = 0;
    std::span<uint8_t> buf;
};

// When the adapter checks the targets' ACK bits (I2cBus::set_ack_check).
// An MPSSE (FTDI) cannot stop on a NACK: once a command stream is in the
// chip every byte in it is clocked, so checking costs round trips.
enum class AckCheck : uint8_t {
    // One round trip per transfer; ACK bits are checked when it is back,
    // so the bytes after a NACKed byte are still clocked out (the transfer
    // fails all the same). The default, and the only mode of adapters that
    // stop on a NACK themselves (CP2112).
    at_end,
    // Two round trips: the first address byte alone, then the rest; an
    // address NACK ends the transfer with nothing else clocked out.
    after_address,
    // One round trip per byte, stopping after any NACKed byte: for targets
    // that act on bytes they NACKed (the way pyftdi drives an MPSSE).
    each_byte,
};

// "at_end", "after_address", "each_byte".
USBIO_EXPORT const char* to_string(AckCheck mode) noexcept;

struct I2cBusInfo {
    std::string name;                       // "cp2112-SIM0001 i2c"
    std::size_t max_write = 0;              // longest single write message
    std::size_t max_read = 0;               // longest single read message
    std::size_t max_write_before_read = 0;  // longest write in a write-then-read pair
    bool repeated_start = false;            // write-then-read with repeated START
    uint32_t min_bitrate = 0;
    uint32_t max_bitrate = 0;
    // Added later, so after the fields above (positional initialisers keep
    // their meaning):
    bool quick_write = false;       // SMBus quick command: an address with no data
    bool ten_bit = false;           // 10-bit addresses (I2cMsg::ten_bit)
    bool recover = false;           // I2cBus::recover() can clock the bus free
    bool clock_stretching = false;  // I2cBus::set_clock_stretching() can switch it
    bool ack_check_modes = false;   // set_ack_check() takes after_address and each_byte too, not only at_end
};

class USBIO_EXPORT I2cBus {
public:
    I2cBus() = default;

    I2cBusInfo info() const;

    // Fails with EOPNOTSUPP when the adapter cannot express the sequence,
    // EINVAL for bad addresses or lengths, ENXIO when the target does not
    // ACK, ETIMEDOUT, EIO/EPROTO, ENODEV when the adapter is gone.
    Result<void> transfer(std::span<I2cMsg> msgs);

    Result<void> write(uint16_t addr, std::span<const uint8_t> data);
    Result<void> read(uint16_t addr, std::span<uint8_t> data);
    Result<void> write_read(uint16_t addr, std::span<const uint8_t> out, std::span<uint8_t> in);

    // SMBus helpers (word data is little-endian on the wire, as SMBus says).
    Result<uint8_t> read_byte(uint16_t addr);
    Result<void> write_byte(uint16_t addr, uint8_t value);
    Result<uint8_t> read_byte_data(uint16_t addr, uint8_t command);
    Result<void> write_byte_data(uint16_t addr, uint8_t command, uint8_t value);
    Result<uint16_t> read_word_data(uint16_t addr, uint8_t command);
    Result<void> write_word_data(uint16_t addr, uint8_t command, uint16_t value);
    Result<std::vector<uint8_t>> read_block_data(uint16_t addr, uint8_t command);
    Result<void> write_block_data(uint16_t addr, uint8_t command, std::span<const uint8_t> data);
    Result<void> read_i2c_block_data(uint16_t addr, uint8_t command, std::span<uint8_t> data);

    Result<uint32_t> bitrate() const;
    Result<void> set_bitrate(uint32_t hz);

    // Bus recovery (I2C specification 3.1.16): with SDA released, nine
    // clocks, so a target stuck in the middle of a byte it sends finishes it
    // and sees a NACK; then SDA is checked and a STOP leaves the bus idle.
    // EIO (naming the adapter) when SDA is still held low afterwards: a
    // target or a short holds it, which clocks cannot cure. EOPNOTSUPP
    // (naming the adapter) when the adapter cannot clock the bus by itself,
    // as the CP2112, whose I2C engine works in whole transactions, not
    // bits (I2cBusInfo::recover says which). ENODEV when the adapter is gone.
    Result<void> recover();

    // Clock stretching: when on, the master waits while a target holds SCL
    // low; when off (as the adapter opens), a target that stretches loses
    // clocks and its data comes shifted. Adapters that watch SCL on a pin
    // take it from GPIO while this is on (the FTDI chips' ADBUS7, wired to
    // SCL). EOPNOTSUPP (naming the adapter) where it cannot be switched
    // (I2cBusInfo::clock_stretching false): the FT4232H cannot wait at all;
    // the CP2112's I2C engine always waits.
    Result<void> set_clock_stretching(bool on);
    // When ACK bits are checked, for every later transfer on this bus (all
    // handles share it; see AckCheck). EOPNOTSUPP for a mode the adapter
    // lacks (I2cBusInfo::ack_check_modes), ENODEV when it is gone.
    Result<void> set_ack_check(AckCheck mode);
    Result<AckCheck> ack_check() const;

private:
    friend struct detail::Access;
    explicit I2cBus(std::shared_ptr<detail::I2cBusCore> core) : core_(std::move(core)) {}
    std::shared_ptr<detail::I2cBusCore> core_;
};

}  // namespace usbio
