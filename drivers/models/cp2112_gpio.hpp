// SPDX-License-Identifier: Apache-2.0
// The CP2112's eight GPIO pins: direction, drive mode, output latch, and the
// levels the outside world puts on them. Not locked; the model locks.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "models/cp2112_protocol.hpp"

namespace usbio::models::cp2112 {

class Gpio {
public:
    static constexpr unsigned kPins = 8;

    // Feature report 0x02: direction (1 = output), drive (1 = push-pull),
    // special functions, clock divider.
    std::array<uint8_t, kGpioConfigLen> config_report() const;
    bool set_config(std::span<const uint8_t> report);
    // Feature report 0x03: the level of every pin.
    uint8_t levels() const;
    // Feature report 0x04: only output pins selected by `mask` change, and
    // not those given to a special function (their latch is not connected).
    void set_values(uint8_t value, uint8_t mask);

    // A push-pull output drives its latch; an open-drain output pulls low
    // or lets the line float to whatever is outside; an input reads outside.
    // A pin serving a special function shows its idle level, high (LED
    // off; the clock is not modelled edge by edge).
    int pin_level(unsigned pin) const;
    void set_input_level(unsigned pin, int level);

    // Everything above, for a saved state.
    struct Saved {
        uint8_t direction = 0x00;
        uint8_t drive = 0x00;
        uint8_t special = 0x00;
        uint8_t divider = 0x00;
        uint8_t latch = 0xFF;
        uint8_t external = 0xFF;
    };
    Saved saved() const { return {direction_, drive_, special_, divider_, latch_, external_}; }
    void restore(const Saved& s);

    // Configuration lives in RAM: a reset makes every pin an input again.
    // External levels belong to the world and stay.
    void reset();

private:
    // Pins (bit n = GPIO.n) taken by the enabled special functions.
    uint8_t special_pins() const;

    uint8_t direction_ = 0x00;
    uint8_t drive_ = 0x00;
    uint8_t special_ = 0x00;
    uint8_t divider_ = 0x00;
    uint8_t latch_ = 0xFF;
    uint8_t external_ = 0xFF;  // pull-ups: an undriven line reads 1
};

}  // namespace usbio::models::cp2112
