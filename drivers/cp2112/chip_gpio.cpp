// SPDX-License-Identifier: Apache-2.0
// GPIO operations: feature reports 0x02 (configuration), 0x03 (levels) and
// 0x04 (set latch).
#include <cerrno>

#include "cp2112/chip.hpp"

namespace usbio::cp2112 {

namespace {

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

constexpr uint64_t kAllLines = (1u << kNumGpios) - 1;

}  // namespace

std::error_code Chip::read_gpio_config(GpioConfig& cfg) {
    std::vector<uint8_t> r;
    if (auto ec = ch_->get_feature(report::gpio_config, report::gpio_config_len, r)) return ec;
    if (auto ec = parse_gpio_config(r, cfg)) return ec;
    special_lines_ = special_lines(cfg.special);
    return {};
}

std::error_code Chip::write_gpio_config(const GpioConfig& cfg) {
    if (auto ec = ch_->set_feature(build_gpio_config(cfg))) return ec;
    special_lines_ = special_lines(cfg.special);
    return {};
}

std::error_code Chip::read_gpio_values(uint8_t& values) {
    std::vector<uint8_t> r;
    if (auto ec = ch_->get_feature(report::gpio_get, report::gpio_get_len, r)) return ec;
    return parse_gpio_values(r, values);
}

std::error_code Chip::configure(unsigned offset, const driver::GpioLineConfig& cfg) {
    if (offset >= kNumGpios) return err(EINVAL);
    if (cfg.drive == Drive::open_source) return err(EOPNOTSUPP);
    const auto bit = static_cast<uint8_t>(1u << offset);
    const bool output = cfg.direction == Direction::output;

    driver::AbortableMutex::Lock lk(gpio_mu_);
    if (!lk) return err(ENODEV);
    GpioConfig cur;
    if (auto ec = read_gpio_config(cur)) return ec;
    // A line serving its special function (LED toggle, clock out) is not a
    // GPIO line until the configuration gives it back (gpio.N.function).
    if (special_lines_ & bit) return err(EBUSY);

    // Only this line's bits change: the other lines' direction and drive,
    // the special functions and the clock divider stay as they are.
    GpioConfig next = cur;
    next.direction = output ? (cur.direction | bit) : (cur.direction & ~bit);
    next.push_pull = cfg.drive == Drive::push_pull ? (cur.push_pull | bit) : (cur.push_pull & ~bit);

    const auto value = build_gpio_set(cfg.value ? bit : 0, bit);
    const bool changed = next.direction != cur.direction || next.push_pull != cur.push_pull;
    // The chip ignores values written to a pin that is not an output, so a
    // line becoming an output gets its value right after the direction; a
    // line that already is one gets it first, with no glitch.
    const bool was_output = (cur.direction & bit) != 0;
    if (output && was_output)
        if (auto ec = ch_->set_feature(value)) return ec;
    if (changed)
        if (auto ec = write_gpio_config(next)) return ec;
    if (output && !was_output)
        if (auto ec = ch_->set_feature(value)) return ec;
    return {};
}

std::error_code Chip::get_config(unsigned offset, driver::GpioLineConfig& cfg) {
    if (offset >= kNumGpios) return err(EINVAL);
    const auto bit = static_cast<uint8_t>(1u << offset);
    driver::AbortableMutex::Lock lk(gpio_mu_);
    if (!lk) return err(ENODEV);
    GpioConfig c;
    if (auto ec = read_gpio_config(c)) return ec;
    uint8_t values = 0;
    if (auto ec = read_gpio_values(values)) return ec;
    cfg.direction = (c.direction & bit) ? Direction::output : Direction::input;
    cfg.drive = (c.push_pull & bit) ? Drive::push_pull : Drive::open_drain;
    cfg.value = (values & bit) != 0;
    cfg.function = (special_lines_ & bit) ? special_function_name(offset) : "";
    return {};
}

std::error_code Chip::get(uint64_t mask, uint64_t& levels) {
    if (mask & ~kAllLines) return err(EINVAL);
    uint8_t values = 0;
    if (auto ec = read_gpio_values(values)) return ec;
    levels = values & mask;
    return {};
}

std::error_code Chip::set(uint64_t mask, uint64_t levels) {
    if (mask & ~kAllLines) return err(EINVAL);
    if (mask == 0) return {};
    // Serialised with configure(): a value must not slip in between its
    // direction change and the value that follows it.
    driver::AbortableMutex::Lock lk(gpio_mu_);
    if (!lk) return err(ENODEV);
    // The latch does not reach a pin given to a special function.
    if (mask & special_lines_) return err(EBUSY);
    return ch_->set_feature(build_gpio_set(static_cast<uint8_t>(levels & mask), static_cast<uint8_t>(mask)));
}

}  // namespace usbio::cp2112
