// SPDX-License-Identifier: Apache-2.0
#include "models/ftdi_i2c_wire.hpp"

#include <cstdio>
#include <utility>

namespace usbio::models {

void FtdiI2cWire::attach_ten_bit(uint16_t addr10, std::shared_ptr<I2cTarget> target) {
    ten_bit_[addr10 & 0x3ff] = std::move(target);
}

void FtdiI2cWire::reset() {
    end_target();
    phase_ = Phase::idle;
    target_low_ = false;
    hold_ = lost_ = 0;
    bits_ = 0;
    scl_drive_ = sda_drive_ = LineDrive::released;
    scl_ = true;
    sda_ = sda_level();
}

bool FtdiI2cWire::sda_level() const { return sda_drive_ != LineDrive::low && !target_low_ && !bus_->stuck(); }

void FtdiI2cWire::violation(std::string what) {
    if (violations_.size() < 64) violations_.push_back(std::move(what));
}

void FtdiI2cWire::drive(LineDrive scl, LineDrive sda) {
    // Catch up with the world first: a target stuck low since the last call.
    data_to(sda_level());
    scl_drive_ = scl;
    sda_drive_ = sda;
    if (sda == LineDrive::high && (target_low_ || bus_->stuck()))
        violation("SDA driven high by the master while a target pulls it low");
    // SCL driven high counts as released: a target holding it low wins (on
    // push-pull chips boards put a diode in AD0's line for that).
    const bool next_scl = scl != LineDrive::low && hold_ == 0;
    // Which changed first is undefined on the wire; taken as SCL first.
    if (next_scl != scl_ && sda_level() != sda_) violation("SCL and SDA changed in one step");
    clock_to(next_scl);
    data_to(sda_level());  // the master's change, or the target's after a falling edge
}

void FtdiI2cWire::clock_to(bool level) {
    if (level == scl_) return;
    scl_ = level;
    if (level)
        on_rise();
    else
        on_fall();
}

void FtdiI2cWire::data_to(bool level) {
    if (level == sda_) return;
    sda_ = level;
    if (!scl_) return;
    if (level)
        on_stop();
    else
        on_start();
}

// START and STOP are SDA changing during the first clock of a byte (or
// before it); later in a byte they break it.
bool FtdiI2cWire::mid_byte() const {
    const bool busy = phase_ != Phase::idle && phase_ != Phase::ignore;
    return busy && bits_ >= 2 && bits_ <= 8;
}

void FtdiI2cWire::on_start() {
    if (mid_byte()) violation("START (SDA falling while SCL high) in the middle of a byte");
    ++starts_;
    phase_ = Phase::address;
    bits_ = 0;
    shift_ = 0;
    target_low_ = false;
}

void FtdiI2cWire::on_stop() {
    if (mid_byte()) violation("STOP (SDA rising while SCL high) in the middle of a byte");
    ++stops_;
    end_target();
    phase_ = Phase::idle;
    bits_ = 0;
    target_low_ = false;
}

void FtdiI2cWire::end_target() {
    if (via_bus_) bus_->stop();
    via_bus_ = false;
    if (ten_target_) ten_target_->stop();
    ten_target_.reset();
}

void FtdiI2cWire::on_rise() {
    switch (phase_) {
    case Phase::address:
    case Phase::ten_low:
    case Phase::write_data:
    case Phase::master_ack:
        shift_ = static_cast<uint8_t>((shift_ << 1) | (sda_ ? 1 : 0));
        ++bits_;
        break;
    case Phase::target_ack:
    case Phase::read_data: ++bits_; break;
    case Phase::idle:
    case Phase::ignore: break;
    }
}

void FtdiI2cWire::on_fall() {
    switch (phase_) {
    case Phase::address:
    case Phase::ten_low:
    case Phase::write_data:
        if (bits_ == 8) byte_done();
        break;
    case Phase::target_ack:
        if (bits_ < 9) break;
        target_low_ = false;
        phase_ = after_ack_;
        bits_ = 0;
        shift_ = 0;
        if (phase_ == Phase::read_data) begin_read_byte();
        break;
    case Phase::read_data:
        if (bits_ < 8) {
            target_low_ = !(read_byte_ & (0x80 >> bits_));
        } else {
            target_low_ = false;
            phase_ = Phase::master_ack;
            shift_ = 0;
        }
        break;
    case Phase::master_ack:
        if (bits_ < 9) break;
        bits_ = 0;
        if ((shift_ & 1) == 0) {
            phase_ = Phase::read_data;
            begin_read_byte();
        } else {
            phase_ = Phase::ignore;  // NACK: the target lets go until STOP
        }
        break;
    case Phase::idle:
    case Phase::ignore: break;
    }
}

void FtdiI2cWire::begin_read_byte() {
    read_byte_ = target_read();
    target_low_ = !(read_byte_ & 0x80);
    // The falling edge that got here is where a stretching target holds SCL.
    if (via_bus_) hold_ = bus_->stretch_bits();
    lost_ = 0;
}

void FtdiI2cWire::wait_for_scl() {
    if (hold_ == 0) return;
    ++stretches_waited_;
    end_hold();
}

void FtdiI2cWire::pass_bit_time(bool clocking) {
    if (hold_ == 0) return;
    if (--hold_ > 0) {
        lost_ += clocking ? 1 : 0;
        return;
    }
    end_hold();  // SCL rises late: that clock the target sees
}

void FtdiI2cWire::end_hold() {
    hold_ = 0;
    if (lost_ > 0)
        violation("SCL held low by a target (clock stretching) while the master clocked on: " + std::to_string(lost_) +
                  " clock(s) the target never saw, so the data is shifted");
    lost_ = 0;
    data_to(sda_level());
    clock_to(scl_drive_ != LineDrive::low);
    data_to(sda_level());
}

bool FtdiI2cWire::target_write(uint8_t b) {
    if (via_bus_) return bus_->write(b);
    return ten_target_ ? ten_target_->write_byte(b) : false;
}

uint8_t FtdiI2cWire::target_read() {
    if (via_bus_) return bus_->read(true);
    return ten_target_ ? ten_target_->read_byte(true) : 0xFF;
}

void FtdiI2cWire::byte_done() {
    const uint8_t b = shift_;
    const bool data_byte = phase_ == Phase::write_data;
    bool ack = false;
    Phase next = Phase::ignore;
    if (phase_ == Phase::address) {
        reading_ = b & 1;
        if ((b & 0xF8) == 0xF0) {
            if (via_bus_) bus_->stop();
            via_bus_ = false;
            if (!reading_) {
                if (ten_target_) ten_target_->restart();
                ten_target_.reset();
                ten_high_ = b;
                for (const auto& [a, t] : ten_bit_)
                    if (((a >> 7) & 0x06) == (b & 0x06)) ack = true;
                next = Phase::ten_low;
            } else if (ten_target_ && (b & 0xFE) == ten_high_) {
                ack = ten_target_->address(true);
                next = Phase::read_data;
            }
        } else {
            if (ten_target_) ten_target_->restart();
            ten_target_.reset();
            via_bus_ = true;
            ack = bus_->start(static_cast<uint8_t>(b >> 1), reading_) == I2cResult::ok;
            next = reading_ ? Phase::read_data : Phase::write_data;
        }
    } else if (phase_ == Phase::ten_low) {
        const uint16_t addr = static_cast<uint16_t>(((ten_high_ & 0x06) << 7) | b);
        auto it = ten_bit_.find(addr);
        if (it != ten_bit_.end() && it->second->address(false)) {
            ten_target_ = it->second;
            ack = true;
        }
        next = Phase::write_data;
    } else {
        // Bytes after a NACKed one still reach the target: MPSSE clocks
        // them, and the target decides what they mean.
        ack = target_write(b);
        next = Phase::write_data;
    }
    phase_ = Phase::target_ack;
    after_ack_ = ack || data_byte ? next : Phase::ignore;
    target_low_ = ack;
}

}  // namespace usbio::models
