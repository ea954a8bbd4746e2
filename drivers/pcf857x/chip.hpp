// SPDX-License-Identifier: Apache-2.0
// A PCF8574 (8 lines P0..P7) or PCF8575 (16 lines P00..P07, P10..P17) as a
// gpio chip.
//
// The chip has no registers, only a latch per pin: 0 pulls the pin low, 1
// leaves a weak pull-up, so the pin is an input (or a high output) that
// anything outside can pull low. A read is one plain read of the pin levels
// (1 or 2 bytes), a write one plain write of the whole latch. So:
//   input            latch 1
//   output, value 0  latch 0
//   output, value 1  latch 1 (a weak high)
// The direction cannot be read back from the chip; the driver keeps it, with
// the latch, in a shadow. Outputs report Drive::open_drain, which is what
// the pins do (a low is driven, a high is only pulled up); push-pull and
// open-drain requests are both taken and give the same pins; open source
// fails with EOPNOTSUPP.
//
// Binding writes nothing: the shadow starts as the chip powers up (latch all
// ones, every line an input), and the first write puts it on the chip.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "usbio/driver/abortable_mutex.hpp"
#include "usbio/driver/client.hpp"

namespace usbio::pcf857x {

class Chip final : public driver::Provider, public driver::GpioOps {
public:
    // `lines` is 8 or 16. Reads the pins once: fails (the message naming
    // chip, adapter and address) when the chip does not answer.
    static Result<std::unique_ptr<Chip>> open(std::unique_ptr<driver::ClientBus> bus, std::string type, unsigned lines);

    void abort_io() noexcept override;

    std::error_code configure(unsigned offset, const driver::GpioLineConfig& cfg) override;
    std::error_code get_config(unsigned offset, driver::GpioLineConfig& cfg) override;
    std::error_code get(uint64_t mask, uint64_t& levels) override;
    std::error_code set(uint64_t mask, uint64_t levels) override;

    const std::string& type() const { return type_; }
    unsigned lines() const { return lines_; }
    uint16_t address() const { return bus_->address(); }

private:
    Chip(std::unique_ptr<driver::ClientBus> bus, std::string type, unsigned lines);
    std::error_code read_pins(uint16_t& levels);
    std::error_code write_latch(uint16_t latch);

    const std::unique_ptr<driver::ClientBus> bus_;
    const std::string type_;
    const unsigned lines_;
    driver::AbortableMutex mu_;  // one exchange at a time; guards the shadow
    uint16_t latch_;             // as last written (all ones at power-on)
    uint16_t outputs_ = 0;       // bit n: line n was configured as an output
};

}  // namespace usbio::pcf857x
