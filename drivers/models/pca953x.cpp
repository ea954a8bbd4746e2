// SPDX-License-Identifier: Apache-2.0
#include "models/pca953x.hpp"

namespace usbio::models {

Pca953x::Pca953x(Pca953xKind kind) : kind_(kind) { last_read_ = pins_locked(); }

const char* Pca953x::name() const { return kind_ == Pca953xKind::pca9555 ? "pca9555" : "pca9535"; }

uint16_t Pca953x::pins_locked() const {
    const uint16_t undriven = kind_ == Pca953xKind::pca9555 ? 0xFFFF : 0x0000;  // pull-ups or none
    const uint16_t inputs = outside_.levels(undriven);
    return uint16_t((output_ & ~config_) | (inputs & config_));
}

uint16_t* Pca953x::reg_locked(uint8_t pointer) {
    switch (pointer & 6) {
    case kOutput: return &output_;
    case kPolarity: return &polarity_;
    case kConfig: return &config_;
    default: return nullptr;  // the input ports ignore writes
    }
}

bool Pca953x::address(bool read) {
    std::lock_guard lock(mu_);
    writing_ = !read;
    command_seen_ = false;
    addressed_ = true;
    return true;
}

bool Pca953x::write_byte(uint8_t byte) {
    std::lock_guard lock(mu_);
    if (!writing_) return false;
    if (!command_seen_) {
        pointer_ = byte & 7;
        command_seen_ = true;
        return true;
    }
    if (uint16_t* r = reg_locked(pointer_)) {
        const unsigned shift = (pointer_ & 1) * 8;
        *r = uint16_t((*r & ~(0xFFu << shift)) | unsigned(byte) << shift);
    }
    pointer_ ^= 1;  // the other register of the pair
    return true;
}

uint8_t Pca953x::read_byte(bool /*master_ack*/) {
    std::lock_guard lock(mu_);
    const unsigned shift = (pointer_ & 1) * 8;
    uint16_t value = 0;
    if ((pointer_ & 6) == kInput) {
        value = input_locked();
        const uint16_t port = uint16_t(0xFFu << shift);
        last_read_ = uint16_t((last_read_ & ~port) | (pins_locked() & port));
    } else {
        value = *reg_locked(pointer_);
    }
    pointer_ ^= 1;
    return uint8_t(value >> shift);
}

void Pca953x::stop() {
    std::lock_guard lock(mu_);
    if (addressed_) ++transactions_;
    addressed_ = false;
    writing_ = false;
}

void Pca953x::restart() {
    std::lock_guard lock(mu_);
    writing_ = false;
}

void Pca953x::set_external(unsigned pin, int level) {
    std::lock_guard lock(mu_);
    outside_.set(pin, level, kPins);
}

uint16_t Pca953x::pin_levels() const {
    std::lock_guard lock(mu_);
    return pins_locked();
}

uint16_t Pca953x::reg16(uint8_t first) const {
    std::lock_guard lock(mu_);
    if ((first & 6) == kInput) return input_locked();
    return *const_cast<Pca953x*>(this)->reg_locked(first);
}

void Pca953x::set_reg16(uint8_t first, uint16_t value) {
    std::lock_guard lock(mu_);
    if (uint16_t* r = reg_locked(first)) *r = value;
}

bool Pca953x::int_asserted() const {
    std::lock_guard lock(mu_);
    return ((pins_locked() ^ last_read_) & config_) != 0;
}

uint64_t Pca953x::transactions() const {
    std::lock_guard lock(mu_);
    return transactions_;
}

}  // namespace usbio::models
