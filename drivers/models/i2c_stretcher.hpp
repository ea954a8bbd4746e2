// SPDX-License-Identifier: Apache-2.0
// A target that stretches the clock: another target's bytes, with SCL held
// low for `bits` bit times before each byte it sends (as sensors and
// microcontrollers do while they fetch the data).
#pragma once

#include <memory>

#include "models/i2c_bus.hpp"

namespace usbio::models {

class ClockStretcher final : public I2cTarget {
public:
    ClockStretcher(std::shared_ptr<I2cTarget> inner, unsigned bits) : inner_(std::move(inner)), bits_(bits) {}

    bool address(bool read) override { return inner_->address(read); }
    bool write_byte(uint8_t byte) override { return inner_->write_byte(byte); }
    uint8_t read_byte(bool master_ack) override { return inner_->read_byte(master_ack); }
    void stop() override { inner_->stop(); }
    void restart() override { inner_->restart(); }
    unsigned stretch_bits() override { return bits_; }

private:
    const std::shared_ptr<I2cTarget> inner_;
    const unsigned bits_;
};

}  // namespace usbio::models
