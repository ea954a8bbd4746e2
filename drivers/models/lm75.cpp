// SPDX-License-Identifier: Apache-2.0
#include "models/lm75.hpp"

#include <algorithm>

namespace usbio::models {

Lm75::Lm75()
    : temperature_(encode_millicelsius(25000)),
      hysteresis_(encode_millicelsius(75000)),
      overtemp_(encode_millicelsius(80000)) {}

uint16_t Lm75::encode_millicelsius(int mc) {
    mc = std::clamp(mc, -55000, 125000);
    // Floor division to half degrees, so -0.1 degC reads as -0.5 degC as the
    // ADC would truncate.
    int half = mc / 500;
    if (mc % 500 != 0 && mc < 0) --half;
    return uint16_t(uint16_t(half) << 7);
}

int Lm75::decode_millicelsius(uint16_t word) { return (int16_t(word) >> 7) * 500; }

bool Lm75::address(bool read) {
    std::lock_guard lock(mu_);
    writing_ = !read;
    written_ = 0;
    read_index_ = 0;
    return true;
}

bool Lm75::write_byte(uint8_t byte) {
    std::lock_guard lock(mu_);
    if (!writing_) return false;
    const unsigned index = written_++;
    if (index == 0) {
        pointer_ = byte & 0x03;  // only the two low bits select a register
        return true;
    }
    switch (pointer_) {
    case kConfig:
        if (index == 1) config_ = byte & 0x1F;  // bits 7..5 are reserved, read as 0
        return true;
    case kHysteresis:
    case kOvertemp:
        if (index == 1) {
            pending_msb_ = byte;
        } else if (index == 2) {
            const uint16_t word = uint16_t((pending_msb_ << 8) | (byte & 0x80));
            (pointer_ == kHysteresis ? hysteresis_ : overtemp_) = word;
        }
        return true;
    default: return true;  // the temperature register ignores writes
    }
}

uint16_t Lm75::word_locked(uint8_t reg) const {
    switch (reg) {
    case kTemperature: return temperature_;
    case kConfig: return uint16_t(config_ << 8);
    case kHysteresis: return hysteresis_;
    default: return overtemp_;
    }
}

uint8_t Lm75::read_byte(bool /*master_ack*/) {
    std::lock_guard lock(mu_);
    const unsigned index = read_index_++;
    if (pointer_ == kConfig) return config_;
    // Reading on past the two bytes repeats the register.
    const uint16_t word = word_locked(pointer_);
    return index % 2 == 0 ? uint8_t(word >> 8) : uint8_t(word);
}

void Lm75::stop() {
    std::lock_guard lock(mu_);
    writing_ = false;
}

void Lm75::restart() {
    std::lock_guard lock(mu_);
    writing_ = false;
}

void Lm75::set_temperature_millicelsius(int mc) {
    const uint16_t word = encode_millicelsius(mc);
    std::lock_guard lock(mu_);
    temperature_ = word;
}

int Lm75::temperature_millicelsius() const {
    std::lock_guard lock(mu_);
    return decode_millicelsius(temperature_);
}

uint8_t Lm75::config() const {
    std::lock_guard lock(mu_);
    return config_;
}

uint16_t Lm75::register_word(uint8_t reg) const {
    std::lock_guard lock(mu_);
    return word_locked(reg & 0x03);
}

}  // namespace usbio::models
