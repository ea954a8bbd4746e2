// SPDX-License-Identifier: Apache-2.0
// A PCA9555 / PCA9535 as a gpio chip: 16 lines IO0_0..IO1_7 in two ports of
// four register pairs (input, output, polarity inversion, configuration;
// the command byte moves to the other register of its pair after each
// byte).
//
// Every operation is one bus transfer: get() writes command 0 and reads
// both input ports after a repeated START (two transfers on an adapter
// without one); set() writes both output ports from a shadow of them;
// configure() writes the output pair, then the configuration pair, each
// only when it changes. The outputs are push-pull only: open drain (and
// source) fail with EOPNOTSUPP rather than being emulated by switching
// the direction, so what line_info shows is what the pins do.
//
// The chip is ours while bound: probe clears the polarity inversion (levels
// are physical; core applies active-low) and reads the output and
// configuration registers, so binding changes no pin.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "usbio/driver/abortable_mutex.hpp"
#include "usbio/driver/client.hpp"

namespace usbio::pca953x {

constexpr unsigned kLines = 16;
// Command bytes: the first register of each pair.
constexpr uint8_t kInput = 0, kOutput = 2, kPolarity = 4, kConfig = 6;

class Chip final : public driver::Provider, public driver::GpioOps {
public:
    // Reads the chip's registers and clears its polarity inversion; fails
    // (the message naming chip, adapter and address) when it does not answer.
    static Result<std::unique_ptr<Chip>> open(std::unique_ptr<driver::ClientBus> bus, std::string type);

    void abort_io() noexcept override;

    std::error_code configure(unsigned offset, const driver::GpioLineConfig& cfg) override;
    std::error_code get_config(unsigned offset, driver::GpioLineConfig& cfg) override;
    std::error_code get(uint64_t mask, uint64_t& levels) override;
    std::error_code set(uint64_t mask, uint64_t levels) override;

    const std::string& type() const { return type_; }
    uint16_t address() const { return bus_->address(); }

private:
    Chip(std::unique_ptr<driver::ClientBus> bus, std::string type) : bus_(std::move(bus)), type_(std::move(type)) {}
    std::error_code read_pair(uint8_t command, uint16_t& value);
    std::error_code write_pair(uint8_t command, uint16_t value);

    const std::unique_ptr<driver::ClientBus> bus_;
    const std::string type_;
    driver::AbortableMutex mu_;  // one exchange at a time; guards the shadows
    uint16_t output_ = 0xFFFF;   // the output pair as last written or read
    uint16_t config_ = 0xFFFF;   // the configuration pair (1 = input)
};

}  // namespace usbio::pca953x
