// SPDX-License-Identifier: Apache-2.0
#include "models/i2c_bus.hpp"

#include <utility>

namespace usbio::models {

void I2cBus::attach(uint8_t addr7, std::shared_ptr<I2cTarget> target) {
    std::lock_guard lock(mu_);
    targets_[addr7 & 0x7F] = std::move(target);
}

void I2cBus::detach(uint8_t addr7) {
    std::lock_guard lock(mu_);
    targets_.erase(addr7 & 0x7F);
}

std::shared_ptr<I2cTarget> I2cBus::target(uint8_t addr7) const {
    std::lock_guard lock(mu_);
    auto it = targets_.find(addr7 & 0x7F);
    return it == targets_.end() ? nullptr : it->second;
}

void I2cBus::set_nack(uint8_t addr7, bool nack) {
    std::lock_guard lock(mu_);
    if (nack)
        nacking_.insert(addr7 & 0x7F);
    else
        nacking_.erase(addr7 & 0x7F);
}

void I2cBus::set_stuck(bool stuck) {
    std::lock_guard lock(mu_);
    stuck_ = stuck;
}

bool I2cBus::stuck() const {
    std::lock_guard lock(mu_);
    return stuck_;
}

I2cResult I2cBus::start(uint8_t addr7, bool read) {
    std::lock_guard lock(mu_);
    return start_locked(addr7, read);
}

bool I2cBus::write(uint8_t byte) {
    std::lock_guard lock(mu_);
    return write_locked(byte);
}

uint8_t I2cBus::read(bool master_ack) {
    std::lock_guard lock(mu_);
    return read_locked(master_ack);
}

void I2cBus::stop() {
    std::lock_guard lock(mu_);
    stop_locked();
}

unsigned I2cBus::stretch_bits() {
    std::lock_guard lock(mu_);
    return open_ && active_ && !stuck_ ? active_->stretch_bits() : 0;
}

I2cResult I2cBus::start_locked(uint8_t addr7, bool read) {
    if (stuck_) return I2cResult::bus_stuck;
    if (open_ && active_) active_->restart();
    open_ = true;
    active_.reset();
    addr7 &= 0x7F;
    if (nacking_.count(addr7)) return I2cResult::addr_nack;
    auto it = targets_.find(addr7);
    if (it == targets_.end() || !it->second->address(read)) return I2cResult::addr_nack;
    active_ = it->second;
    return I2cResult::ok;
}

bool I2cBus::write_locked(uint8_t byte) {
    if (stuck_ || !open_ || !active_) return false;
    return active_->write_byte(byte);
}

uint8_t I2cBus::read_locked(bool master_ack) {
    if (stuck_) return 0x00;              // SDA held low
    if (!open_ || !active_) return 0xFF;  // nobody drives SDA; the pull-up wins
    return active_->read_byte(master_ack);
}

void I2cBus::stop_locked() {
    if (open_ && active_) active_->stop();
    open_ = false;
    active_.reset();
}

I2cOutcome I2cBus::write_part_locked(uint8_t addr7, std::span<const uint8_t> data) {
    I2cOutcome out;
    out.result = start_locked(addr7, false);
    if (out.result != I2cResult::ok) return out;
    for (uint8_t b : data) {
        if (!write_locked(b)) {
            out.result = I2cResult::data_nack;
            return out;
        }
        ++out.written;
    }
    return out;
}

void I2cBus::read_part_locked(uint8_t addr7, std::size_t length, I2cOutcome& out) {
    out.result = start_locked(addr7, true);
    if (out.result != I2cResult::ok) return;
    out.data.reserve(length);
    for (std::size_t i = 0; i < length; ++i) out.data.push_back(read_locked(i + 1 < length));
}

I2cOutcome I2cBus::write_transaction(uint8_t addr7, std::span<const uint8_t> data) {
    std::lock_guard lock(mu_);
    I2cOutcome out = write_part_locked(addr7, data);
    if (out.result != I2cResult::bus_stuck) stop_locked();
    return out;
}

I2cOutcome I2cBus::read_transaction(uint8_t addr7, std::size_t length) {
    std::lock_guard lock(mu_);
    I2cOutcome out;
    read_part_locked(addr7, length, out);
    if (out.result != I2cResult::bus_stuck) stop_locked();
    return out;
}

I2cOutcome I2cBus::write_read(uint8_t addr7, std::span<const uint8_t> data, std::size_t length, bool repeated_start) {
    std::lock_guard lock(mu_);
    I2cOutcome out = write_part_locked(addr7, data);
    if (out.result == I2cResult::ok) {
        if (!repeated_start) stop_locked();
        read_part_locked(addr7, length, out);
    }
    if (out.result != I2cResult::bus_stuck) stop_locked();
    return out;
}

}  // namespace usbio::models
