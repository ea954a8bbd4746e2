// SPDX-License-Identifier: Apache-2.0
#include "models/pcf857x.hpp"

#include <stdexcept>

namespace usbio::models {

Pcf857x::Pcf857x(unsigned pins) : pins_(pins), latch_(uint16_t((1u << pins) - 1)) {
    if (pins != 8 && pins != 16) throw std::invalid_argument("Pcf857x: 8 or 16 pins");
    last_seen_ = pins_locked();
}

void Pcf857x::seen_locked(unsigned port) {
    const auto mask = uint16_t(0xFFu << (8 * port));
    last_seen_ = uint16_t((last_seen_ & ~mask) | (pins_locked() & mask));
}

bool Pcf857x::address(bool read) {
    std::lock_guard lock(mu_);
    writing_ = !read;
    byte_index_ = 0;
    addressed_ = true;
    return true;
}

bool Pcf857x::write_byte(uint8_t byte) {
    std::lock_guard lock(mu_);
    if (!writing_) return false;
    const unsigned port = byte_index_++ % (pins_ / 8);
    const unsigned shift = 8 * port;
    latch_ = uint16_t((latch_ & ~(0xFFu << shift)) | unsigned(byte) << shift);
    seen_locked(port);
    return true;
}

uint8_t Pcf857x::read_byte(bool /*master_ack*/) {
    std::lock_guard lock(mu_);
    const unsigned port = byte_index_++ % (pins_ / 8);
    seen_locked(port);
    return uint8_t(pins_locked() >> (8 * port));
}

void Pcf857x::stop() {
    std::lock_guard lock(mu_);
    if (addressed_) ++transactions_;
    addressed_ = false;
    writing_ = false;
}

void Pcf857x::restart() {
    std::lock_guard lock(mu_);
    writing_ = false;
}

void Pcf857x::set_external(unsigned pin, int level) {
    std::lock_guard lock(mu_);
    outside_.set(pin, level, pins_);
}

uint16_t Pcf857x::pin_levels() const {
    std::lock_guard lock(mu_);
    return pins_locked();
}

uint16_t Pcf857x::latch() const {
    std::lock_guard lock(mu_);
    return latch_;
}

bool Pcf857x::int_asserted() const {
    std::lock_guard lock(mu_);
    return pins_locked() != last_seen_;
}

uint64_t Pcf857x::transactions() const {
    std::lock_guard lock(mu_);
    return transactions_;
}

}  // namespace usbio::models
