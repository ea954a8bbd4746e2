// SPDX-License-Identifier: Apache-2.0
// What the world outside a GPIO expander model does to its pins: each pin
// is left alone (-1) or driven to 0 or 1 by something on the board.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace usbio::models {

struct OutsidePins {
    uint16_t driven = 0;  // bit n: something outside drives pin n
    uint16_t level = 0;   // the level it drives (meaningful where driven)

    void set(unsigned pin, int value, unsigned pins) {
        if (pin >= pins) throw std::out_of_range("expander model: no pin " + std::to_string(pin));
        const auto bit = uint16_t(1u << pin);
        driven = value < 0 ? uint16_t(driven & ~bit) : uint16_t(driven | bit);
        level = value > 0 ? uint16_t(level | bit) : uint16_t(level & ~bit);
    }
    // Levels where driven, `otherwise` elsewhere.
    uint16_t levels(uint16_t otherwise) const { return uint16_t((level & driven) | (otherwise & ~driven)); }
};

}  // namespace usbio::models
