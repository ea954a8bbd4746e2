// SPDX-License-Identifier: Apache-2.0
// An NXP PCF8574 (8 pins) or PCF8575 (16 pins) quasi-bidirectional I/O port
// on the simulated bus.
//
// No registers: a write sets the latch (bytes alternate port 0, port 1 on
// the PCF8575), a read returns the pin levels the same way. A latch bit of
// 0 pulls the pin low hard; a 1 leaves only a weak current source to VDD,
// so the pin reads what the world drives, or 1 when nothing does. Power-on:
// latch all ones. INT (active low) is asserted while a pin differs from its
// level at the last read or write of its port.
#pragma once

#include <cstdint>
#include <mutex>

#include "common/sim_state.hpp"
#include "models/expander_pins.hpp"
#include "models/i2c_bus.hpp"

namespace usbio::models {

class Pcf857x final : public I2cTarget {
public:
    // 8 (PCF8574) or 16 (PCF8575).
    explicit Pcf857x(unsigned pins = 8);

    bool address(bool read) override;
    bool write_byte(uint8_t byte) override;
    uint8_t read_byte(bool master_ack) override;
    void stop() override;
    void restart() override;

    // World access for tests -------------------------------------------------
    unsigned pins() const { return pins_; }
    // Drives pin n (P0n; P1n is 8+n) from outside: 0, 1, or -1 to let go. A
    // pin whose latch is 0 stays low whatever the world does.
    void set_external(unsigned pin, int level);
    uint16_t pin_levels() const;
    uint16_t latch() const;
    bool int_asserted() const;
    // STOPs that ended a transaction addressed to this chip.
    uint64_t transactions() const;

    // Saved state (common/sim_state.hpp) of the chip at `addr7`, one record:
    //   pcf8574 0x38 latch=0xff driven=0x00 level=0x00
    // optional: without it the chip is as at power-on.
    struct Saved {
        uint16_t latch = 0xFFFF;
        OutsidePins outside;
    };
    void save_state(drivers::sim_state::Writer& out, uint8_t addr7) const;
    Saved read_state(drivers::sim_state::Reader& in, uint8_t addr7) const;
    void restore(const Saved& saved);

private:
    const char* name() const { return pins_ == 8 ? "pcf8574" : "pcf8575"; }
    uint16_t all() const { return uint16_t((1u << pins_) - 1); }
    uint16_t pins_locked() const { return uint16_t(latch_ & outside_.levels(all())); }
    void seen_locked(unsigned port);

    const unsigned pins_;
    mutable std::mutex mu_;
    uint16_t latch_;
    OutsidePins outside_;
    uint16_t last_seen_ = 0;  // pin levels at the last access, for INT
    unsigned byte_index_ = 0;
    bool writing_ = false;
    bool addressed_ = false;
    uint64_t transactions_ = 0;
};

}  // namespace usbio::models
