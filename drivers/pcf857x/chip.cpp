// SPDX-License-Identifier: Apache-2.0
#include "pcf857x/chip.hpp"

#include <cerrno>

#include "common/client_io.hpp"

namespace usbio::pcf857x {

namespace {

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

}  // namespace

Chip::Chip(std::unique_ptr<driver::ClientBus> bus, std::string type, unsigned lines)
    : bus_(std::move(bus)), type_(std::move(type)), lines_(lines), latch_(uint16_t((1u << lines) - 1)) {}

Result<std::unique_ptr<Chip>> Chip::open(std::unique_ptr<driver::ClientBus> bus, std::string type, unsigned lines) {
    std::unique_ptr<Chip> chip(new Chip(std::move(bus), std::move(type), lines));
    uint16_t levels = 0;
    if (auto ec = chip->read_pins(levels))
        return drivers::client_error(*chip->bus_, chip->type_, "reading the pins", ec);
    return chip;
}

void Chip::abort_io() noexcept {
    mu_.abort();
    bus_->abort();
}

std::error_code Chip::read_pins(uint16_t& levels) {
    uint8_t b[2] = {};
    if (auto ec = drivers::client_read(*bus_, std::span<uint8_t>(b, lines_ / 8))) return ec;
    levels = uint16_t(b[0] | b[1] << 8);
    return {};
}

std::error_code Chip::write_latch(uint16_t latch) {
    const uint8_t b[2] = {uint8_t(latch), uint8_t(latch >> 8)};
    if (auto ec = drivers::client_write(*bus_, std::span<const uint8_t>(b, lines_ / 8))) return ec;
    latch_ = latch;
    return {};
}

std::error_code Chip::configure(unsigned offset, const driver::GpioLineConfig& cfg) {
    if (offset >= lines_) return err(EINVAL);
    if (cfg.drive == Drive::open_source) return err(EOPNOTSUPP);  // the chip only pulls low
    const auto bit = uint16_t(1u << offset);
    const bool output = cfg.direction == Direction::output;
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk) return err(ENODEV);
    // An input is a released pin (latch 1), as is an output driven high.
    const bool high = !output || cfg.value;
    const auto next = uint16_t(high ? (latch_ | bit) : (latch_ & ~bit));
    if (next != latch_)
        if (auto ec = write_latch(next)) return ec;
    outputs_ = uint16_t(output ? (outputs_ | bit) : (outputs_ & ~bit));
    return {};
}

std::error_code Chip::get_config(unsigned offset, driver::GpioLineConfig& cfg) {
    if (offset >= lines_) return err(EINVAL);
    const auto bit = uint16_t(1u << offset);
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk) return err(ENODEV);
    const bool output = (outputs_ & bit) != 0;
    cfg.direction = output ? Direction::output : Direction::input;
    cfg.drive = output ? Drive::open_drain : Drive::push_pull;
    cfg.value = (latch_ & bit) != 0;
    return {};
}

std::error_code Chip::get(uint64_t /*mask*/, uint64_t& levels) {
    // Every line in one read, whatever the mask (edge sampling relies on it).
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk) return err(ENODEV);
    uint16_t pins = 0;
    if (auto ec = read_pins(pins)) return ec;
    levels = pins;
    return {};
}

std::error_code Chip::set(uint64_t mask, uint64_t levels) {
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk) return err(ENODEV);
    const auto m = uint16_t(mask);
    return write_latch(uint16_t((latch_ & ~m) | (uint16_t(levels) & m)));
}

}  // namespace usbio::pcf857x
