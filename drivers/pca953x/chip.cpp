// SPDX-License-Identifier: Apache-2.0
#include "pca953x/chip.hpp"

#include <cerrno>

#include "common/client_io.hpp"

namespace usbio::pca953x {

namespace {

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

}  // namespace

Result<std::unique_ptr<Chip>> Chip::open(std::unique_ptr<driver::ClientBus> bus, std::string type) {
    std::unique_ptr<Chip> chip(new Chip(std::move(bus), std::move(type)));
    uint16_t polarity = 0;
    const char* step = "reading the output register";
    std::error_code ec = chip->read_pair(kOutput, chip->output_);
    if (!ec) {
        step = "reading the configuration register";
        ec = chip->read_pair(kConfig, chip->config_);
    }
    if (!ec) {
        step = "reading the polarity inversion register";
        ec = chip->read_pair(kPolarity, polarity);
    }
    if (!ec && polarity != 0) {
        step = "clearing the polarity inversion register";
        ec = chip->write_pair(kPolarity, 0);
    }
    if (ec) return drivers::client_error(*chip->bus_, chip->type_, step, ec);
    return chip;
}

void Chip::abort_io() noexcept {
    mu_.abort();
    bus_->abort();
}

std::error_code Chip::read_pair(uint8_t command, uint16_t& value) {
    uint8_t b[2] = {};
    if (auto ec = drivers::client_command_read(*bus_, command, b)) return ec;
    value = uint16_t(b[0] | b[1] << 8);
    return {};
}

std::error_code Chip::write_pair(uint8_t command, uint16_t value) {
    const uint8_t b[3] = {command, uint8_t(value), uint8_t(value >> 8)};
    return drivers::client_write(*bus_, b);
}

std::error_code Chip::configure(unsigned offset, const driver::GpioLineConfig& cfg) {
    if (offset >= kLines) return err(EINVAL);
    if (cfg.drive != Drive::push_pull) return err(EOPNOTSUPP);  // push-pull outputs only
    const auto bit = uint16_t(1u << offset);
    const bool output = cfg.direction == Direction::output;

    driver::AbortableMutex::Lock lk(mu_);
    if (!lk) return err(ENODEV);
    // The level first: an input's output bit only latches, so the line then
    // turns output at the right level, with no glitch.
    if (output) {
        const auto next = uint16_t(cfg.value ? (output_ | bit) : (output_ & ~bit));
        if (next != output_) {
            if (auto ec = write_pair(kOutput, next)) return ec;
            output_ = next;
        }
    }
    const auto next = uint16_t(output ? (config_ & ~bit) : (config_ | bit));
    if (next != config_) {
        if (auto ec = write_pair(kConfig, next)) return ec;
        config_ = next;
    }
    return {};
}

std::error_code Chip::get_config(unsigned offset, driver::GpioLineConfig& cfg) {
    if (offset >= kLines) return err(EINVAL);
    const auto bit = uint16_t(1u << offset);
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk) return err(ENODEV);
    // From the chip, not the shadows: line_info shows what the pins do.
    uint16_t config = 0, output = 0;
    if (auto ec = read_pair(kConfig, config)) return ec;
    if (auto ec = read_pair(kOutput, output)) return ec;
    config_ = config;
    output_ = output;
    cfg.direction = (config & bit) ? Direction::input : Direction::output;
    cfg.drive = Drive::push_pull;
    cfg.value = (output & bit) != 0;
    return {};
}

std::error_code Chip::get(uint64_t /*mask*/, uint64_t& levels) {
    // Both ports in one transfer whatever the mask: an edge sampler reads
    // every line it watches with one bus read.
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk) return err(ENODEV);
    uint16_t input = 0;
    if (auto ec = read_pair(kInput, input)) return ec;
    levels = input;
    return {};
}

std::error_code Chip::set(uint64_t mask, uint64_t levels) {
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk) return err(ENODEV);
    const auto m = uint16_t(mask);
    const auto next = uint16_t((output_ & ~m) | (uint16_t(levels) & m));
    if (auto ec = write_pair(kOutput, next)) return ec;
    output_ = next;
    return {};
}

}  // namespace usbio::pca953x
