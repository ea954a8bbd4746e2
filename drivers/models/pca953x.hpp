// SPDX-License-Identifier: Apache-2.0
// An NXP PCA9555 / PCA9535 16-bit I/O port on the simulated bus.
//
// Eight registers in four pairs, selected by the command byte that follows
// the address in a write: 0/1 input ports (read only), 2/3 output ports,
// 4/5 polarity inversion, 6/7 configuration (1 = input). Each data byte
// written or read moves the pointer to the other register of its pair, so
// a write of command 2 and two bytes sets both output ports. Power-on:
// outputs 0xFF, no inversion, every pin an input.
//
// Pins: an output pin (configuration bit 0) is driven push-pull by the chip
// and the world cannot override it; an input pin takes the level the world
// drives, else the PCA9555's internal pull-up makes it 1 (the PCA9535 has
// none: an undriven input reads 0 in this model). The input register is
// the pin level XOR the polarity bit. INT (active low) is asserted while an
// input pin differs from the level last read through its input register.
#pragma once

#include <cstdint>
#include <mutex>

#include "common/sim_state.hpp"
#include "models/expander_pins.hpp"
#include "models/i2c_bus.hpp"

namespace usbio::models {

enum class Pca953xKind : uint8_t { pca9555, pca9535 };

class Pca953x final : public I2cTarget {
public:
    static constexpr unsigned kPins = 16;
    static constexpr uint8_t kInput = 0, kOutput = 2, kPolarity = 4, kConfig = 6;

    explicit Pca953x(Pca953xKind kind = Pca953xKind::pca9555);

    bool address(bool read) override;
    bool write_byte(uint8_t byte) override;
    uint8_t read_byte(bool master_ack) override;
    void stop() override;
    void restart() override;

    // World access for tests -------------------------------------------------
    // Drives pin n (IO0_n is n, IO1_n is 8+n) from outside: 0, 1, or -1 to
    // let go.
    void set_external(unsigned pin, int level);
    uint16_t pin_levels() const;
    // A register pair as a 16-bit value (port 1 in the high byte).
    uint16_t reg16(uint8_t first) const;
    void set_reg16(uint8_t first, uint16_t value);  // output, polarity or config
    bool int_asserted() const;
    // STOPs that ended a transaction addressed to this chip.
    uint64_t transactions() const;

    // Saved state (common/sim_state.hpp) of the chip at `addr7`, one record:
    //   pca9555 0x20 output=0xffff polarity=0x0000 config=0xffff
    //       pointer=0 driven=0x0000 level=0x0000
    // `driven`/`level` are what the world does to the pins. The record is
    // optional: without it the chip is as at power-on.
    struct Saved {
        uint16_t output = 0xFFFF, polarity = 0, config = 0xFFFF;
        uint8_t pointer = 0;
        OutsidePins outside;
    };
    void save_state(drivers::sim_state::Writer& out, uint8_t addr7) const;
    // Checks the record, if any (sim_state::Bad); changes nothing.
    Saved read_state(drivers::sim_state::Reader& in, uint8_t addr7) const;
    void restore(const Saved& saved);

private:
    const char* name() const;
    uint16_t pins_locked() const;
    uint16_t input_locked() const { return uint16_t(pins_locked() ^ polarity_); }
    uint16_t* reg_locked(uint8_t pointer);

    const Pca953xKind kind_;
    mutable std::mutex mu_;
    uint16_t output_ = 0xFFFF;
    uint16_t polarity_ = 0;
    uint16_t config_ = 0xFFFF;
    OutsidePins outside_;
    uint16_t last_read_ = 0;  // input levels as last read, for INT
    uint8_t pointer_ = 0;
    bool writing_ = false;
    bool command_seen_ = false;
    bool addressed_ = false;
    uint64_t transactions_ = 0;
};

}  // namespace usbio::models
