// SPDX-License-Identifier: Apache-2.0
#include "models/cp2112_gpio.hpp"

namespace usbio::models::cp2112 {

std::array<uint8_t, kGpioConfigLen> Gpio::config_report() const {
    return {kGpioConfig, direction_, drive_, special_, divider_};
}

bool Gpio::set_config(std::span<const uint8_t> r) {
    if (r.size() < kGpioConfigLen || r[0] != kGpioConfig) return false;
    direction_ = r[1];
    drive_ = r[2];
    special_ = uint8_t(r[3] & 0x07);  // only three special functions exist
    divider_ = r[4];
    return true;
}

uint8_t Gpio::levels() const {
    uint8_t v = 0;
    for (unsigned pin = 0; pin < kPins; ++pin) v = uint8_t(v | (pin_level(pin) << pin));
    return v;
}

uint8_t Gpio::special_pins() const {
    // Bit 0 clock out on GPIO.7, bit 1 TX LED on GPIO.0, bit 2 RX LED on GPIO.1.
    return uint8_t(((special_ & 0x01) ? 0x80 : 0) | ((special_ & 0x02) ? 0x01 : 0) | ((special_ & 0x04) ? 0x02 : 0));
}

void Gpio::set_values(uint8_t value, uint8_t mask) {
    const uint8_t change = mask & direction_ & ~special_pins();
    latch_ = uint8_t((latch_ & ~change) | (value & change));
}

int Gpio::pin_level(unsigned pin) const {
    if (pin >= kPins) return 0;
    const uint8_t bit = uint8_t(1u << pin);
    const int outside = (external_ & bit) ? 1 : 0;
    if (special_pins() & bit) return 1;
    if (!(direction_ & bit)) return outside;
    if (drive_ & bit) return (latch_ & bit) ? 1 : 0;
    return (latch_ & bit) ? outside : 0;
}

void Gpio::set_input_level(unsigned pin, int level) {
    if (pin >= kPins) return;
    const uint8_t bit = uint8_t(1u << pin);
    external_ = level ? uint8_t(external_ | bit) : uint8_t(external_ & ~bit);
}

void Gpio::restore(const Saved& s) {
    direction_ = s.direction;
    drive_ = s.drive;
    special_ = uint8_t(s.special & 0x07);
    divider_ = s.divider;
    latch_ = s.latch;
    external_ = s.external;
}

void Gpio::reset() {
    direction_ = 0x00;
    drive_ = 0x00;
    special_ = 0x00;
    divider_ = 0x00;
    latch_ = 0xFF;
}

}  // namespace usbio::models::cp2112
