// SPDX-License-Identifier: Apache-2.0
// The I2C bus as an MPSSE master sees it: two wires, SCL and SDA, pulled
// up, which the master and the targets pull low. The master reports how it
// drives them after every pin change; the wire decodes START, STOP, address
// and data bits from the levels, lets the simulated targets (models::I2cBus,
// and 10-bit targets of its own) ACK and drive read data, and records every
// protocol violation it sees, so a driver's waveform is checked, not only
// its bytes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/i2c_bus.hpp"

namespace usbio::models {

// How the master drives one line.
enum class LineDrive : uint8_t { low, high, released };

class FtdiI2cWire {
public:
    explicit FtdiI2cWire(std::shared_ptr<I2cBus> bus) : bus_(std::move(bus)) {}

    // A target at a 10-bit address (I2C specification 3.1.11).
    void attach_ten_bit(uint16_t addr10, std::shared_ptr<I2cTarget> target);

    // The master's drive after a pin change; decodes what the change means.
    void drive(LineDrive scl, LineDrive sda);
    bool scl() const { return scl_; }

    // Clock stretching (I2cTarget::stretch_bits): a target holds SCL low
    // after the falling edge that ends an ACK before a byte it sends.
    bool scl_held() const { return hold_ > 0; }
    // The master waits until the target lets SCL go (adaptive clocking):
    // SCL follows the master's drive again.
    void wait_for_scl();
    // One bit time passes while the target holds SCL. `clocking`: the
    // master's clock engine ran a clock meanwhile, which the target never
    // saw (recorded as a violation: the data is shifted from here on).
    void pass_bit_time(bool clocking);
    // Stretches the master waited out.
    unsigned stretches_waited() const { return stretches_waited_; }
    bool sda() const { return sda_level(); }  // live: a stuck target shows at once

    // Forgets a transaction in progress (re-plug), without a STOP on the bus.
    void reset();

    std::vector<std::string> violations() const { return violations_; }
    void clear_violations() { violations_.clear(); }
    unsigned starts() const { return starts_; }
    unsigned stops() const { return stops_; }

private:
    enum class Phase : uint8_t {
        idle,        // no transaction
        address,     // master sends the address byte
        ten_low,     // master sends the low byte of a 10-bit address
        target_ack,  // target's ACK bit (after address or written byte)
        write_data,  // master sends a data byte
        read_data,   // target sends a data byte
        master_ack,  // master's ACK bit after a read byte
        ignore,      // not addressed, or the read ended: until START/STOP
    };

    void clock_to(bool level);
    void data_to(bool level);
    void on_start();
    void on_stop();
    void on_rise();
    void on_fall();
    void byte_done();
    void begin_read_byte();
    void end_hold();
    bool target_write(uint8_t b);
    uint8_t target_read();
    void end_target();
    bool sda_level() const;
    bool mid_byte() const;
    void violation(std::string what);

    std::shared_ptr<I2cBus> bus_;
    std::map<uint16_t, std::shared_ptr<I2cTarget>> ten_bit_;

    LineDrive scl_drive_ = LineDrive::released;
    LineDrive sda_drive_ = LineDrive::released;
    bool scl_ = true;
    bool sda_ = true;
    bool target_low_ = false;
    unsigned hold_ = 0;  // bit times a target still holds SCL low
    unsigned lost_ = 0;  // clocks of the current stretch the master did not wait for
    unsigned stretches_waited_ = 0;

    Phase phase_ = Phase::idle;
    Phase after_ack_ = Phase::ignore;
    unsigned bits_ = 0;
    uint8_t shift_ = 0;
    uint8_t read_byte_ = 0;
    uint8_t ten_high_ = 0;  // 11110xx0 of the last 10-bit address
    bool reading_ = false;
    bool via_bus_ = false;                   // a 7-bit transaction is open on bus_
    std::shared_ptr<I2cTarget> ten_target_;  // the 10-bit target addressed
    unsigned starts_ = 0;
    unsigned stops_ = 0;
    std::vector<std::string> violations_;
};

}  // namespace usbio::models
