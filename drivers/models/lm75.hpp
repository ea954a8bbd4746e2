// SPDX-License-Identifier: Apache-2.0
// An LM75-style temperature sensor: a pointer register selects one of four
// registers; reads without a new pointer write use the last pointer.
//
//   0x00 temperature (read-only), 0x02 THYST, 0x03 TOS: two bytes MSB first,
//        a 9-bit two's complement value in the top bits, 0.5 degC per step
//   0x01 configuration: one byte
#pragma once

#include <cstdint>
#include <mutex>

#include "common/sim_state.hpp"
#include "models/i2c_bus.hpp"

namespace usbio::models {

class Lm75 final : public I2cTarget {
public:
    static constexpr uint8_t kTemperature = 0x00;
    static constexpr uint8_t kConfig = 0x01;
    static constexpr uint8_t kHysteresis = 0x02;
    static constexpr uint8_t kOvertemp = 0x03;

    Lm75();

    bool address(bool read) override;
    bool write_byte(uint8_t byte) override;
    uint8_t read_byte(bool master_ack) override;
    void stop() override;
    void restart() override;

    // World access for tests. The reading is quantised to 0.5 degC (rounded
    // towards minus infinity) and clamped to the sensor's -55..125 degC.
    void set_temperature_millicelsius(int mc);
    int temperature_millicelsius() const;  // as the register holds it
    uint8_t config() const;
    // Register contents as the 16-bit big-endian word the bus carries.
    uint16_t register_word(uint8_t reg) const;

    // Saved state (common/sim_state.hpp) of the sensor at `addr7`, one record:
    //   lm75 0x48 temperature-mc=25000 hysteresis-mc=75000 overtemp-mc=80000
    //        config=0x00 pointer=0
    // On a chip with several buses `bus` names this one: "lm75 A 0x48".
    struct Saved {
        uint16_t temperature = 0;
        uint16_t hysteresis = 0;
        uint16_t overtemp = 0;
        uint8_t config = 0;
        uint8_t pointer = 0;
    };
    void save_state(drivers::sim_state::Writer& out, uint8_t addr7, std::string_view bus = {}) const;
    // Checks this sensor's record (sim_state::Bad) and changes nothing.
    static Saved read_state(drivers::sim_state::Reader& in, uint8_t addr7, std::string_view bus = {});
    void restore(const Saved& saved);

    // The register encoding, for tests and drivers alike.
    static uint16_t encode_millicelsius(int mc);
    static int decode_millicelsius(uint16_t word);

private:
    uint16_t word_locked(uint8_t reg) const;

    mutable std::mutex mu_;
    uint8_t pointer_ = kTemperature;
    uint16_t temperature_;
    uint8_t config_ = 0;
    uint16_t hysteresis_;
    uint16_t overtemp_;
    // Transaction state.
    bool writing_ = false;
    unsigned written_ = 0;  // bytes written in this transaction, pointer included
    uint8_t pending_msb_ = 0;
    unsigned read_index_ = 0;
};

}  // namespace usbio::models
