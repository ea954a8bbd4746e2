// SPDX-License-Identifier: Apache-2.0
#include "cp2112/chip.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace usbio::cp2112 {

namespace {

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

std::string hex2(unsigned v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", v & 0xffu);
    return buf;
}

Error fail(const std::string& who, std::error_code ec, const std::string& what) {
    return make_error(ec.value(), who + ": " + what + ": " + describe_errno(ec.value()));
}

// After configuration the chip may send a status and an empty data report
// nobody asked for; they are discarded once the IN endpoint has been quiet
// this long.
constexpr std::chrono::milliseconds kSettleQuiet{10};
constexpr std::chrono::milliseconds kSettleLimit{100};

}  // namespace

uint16_t chip_timeout_ms_for(uint32_t hz) {
    if (hz == 0) return kMaxChipTimeoutMs;
    // The longest transaction: a 16-byte write, a 512-byte read and two
    // address bytes, nine clocks per byte; twice that leaves room for clock
    // stretching.
    const uint64_t bits = (kMaxWriteBeforeRead + kMaxRead + 2) * 9ull;
    const uint64_t ms = (2 * bits * 1000 + hz - 1) / hz + 10;
    return static_cast<uint16_t>(std::clamp<uint64_t>(ms, 25, kMaxChipTimeoutMs));
}

Result<std::unique_ptr<Chip>> Chip::open(std::unique_ptr<usb::Transport> transport, const std::string& who) {
    std::unique_ptr<HidChannel> ch;
    if (auto ec = HidChannel::open(std::move(transport), ch))
        return make_error(ec.value(), who + ": no HID interface with an interrupt IN endpoint");
    std::unique_ptr<Chip> chip(new Chip(std::move(ch)));

    if (auto ec = chip->read_version()) return fail(who, ec, "reading the version report");
    if (chip->version_.part_number != kPartNumber)
        return make_error(EPROTO, who + ": not a CP2112: part number " + hex2(chip->version_.part_number) +
                                      ", expected " + hex2(kPartNumber));
    if (auto ec = chip->apply_smbus_config(100'000)) return fail(who, ec, "configuring the SMBus engine");
    chip->ch_->settle(kSettleQuiet, kSettleLimit);
    return chip;
}

Chip::~Chip() = default;

void Chip::abort_io() noexcept {
    ch_->abort();
    i2c_mu_.abort();
    gpio_mu_.abort();
    prom_mu_.abort();
}

std::error_code Chip::read_version() {
    std::vector<uint8_t> r;
    if (auto ec = ch_->get_feature(report::version, report::version_len, r)) return ec;
    return parse_version(r, version_);
}

std::error_code Chip::read_smbus_config(SmbusConfig& cfg) {
    std::vector<uint8_t> r;
    if (auto ec = ch_->get_feature(report::smbus_config, report::smbus_config_len, r)) return ec;
    return parse_smbus_config(r, cfg);
}

std::error_code Chip::write_smbus_config(const SmbusConfig& cfg) {
    if (auto ec = ch_->set_feature(build_smbus_config(cfg))) return ec;
    bitrate_ = cfg.clock_hz;
    // No chip-side timeout ("none") still needs a finite host budget.
    chip_timeout_ms_ = cfg.read_timeout_ms == 0 || cfg.write_timeout_ms == 0
                           ? static_cast<uint16_t>(kMaxChipTimeoutMs)
                           : std::max(cfg.read_timeout_ms, cfg.write_timeout_ms);
    retry_limit_ = cfg.retry_limit;
    auto_send_ = cfg.auto_send_read;
    if (auto_send_) {
        // A driver that takes the chip after us (the kernel's hid-cp2112
        // polls and force-sends) expects Auto Send Read off, as the chip
        // powers up: the transport turns it off when it lets the chip go.
        SmbusConfig off = cfg;
        off.auto_send_read = false;
        ch_->set_feature_on_release(build_smbus_config(off));
    }
    return {};
}

std::error_code Chip::apply_smbus_config(uint32_t hz) {
    SmbusConfig cfg;
    if (auto ec = read_smbus_config(cfg)) return ec;
    const uint16_t timeout = chip_timeout_ms_for(hz);
    cfg.clock_hz = hz;
    // Before device version 3 data is fetched with force-send requests
    // (erratum CP2112_E101, see can_auto_send()).
    cfg.auto_send_read = can_auto_send();
    // Without chip-side timeouts a NACKing or stuck target keeps the
    // transfer busy for ever.
    cfg.write_timeout_ms = timeout;
    cfg.read_timeout_ms = timeout;
    cfg.scl_low_timeout = true;
    // The retry limit stays what it is (set by open() or i2c.retry_limit).
    cfg.retry_limit = retry_limit_;
    return write_smbus_config(cfg);
}

std::error_code Chip::set_bitrate(uint32_t hz) {
    if (hz < kMinBitrate || hz > kMaxBitrate) return err(EINVAL);
    driver::AbortableMutex::Lock lk(i2c_mu_);
    if (!lk) return err(ENODEV);
    return apply_smbus_config(hz);
}

std::error_code Chip::get_bitrate(uint32_t& hz) {
    SmbusConfig cfg;
    if (auto ec = read_smbus_config(cfg)) return ec;
    hz = cfg.clock_hz;
    return {};
}

}  // namespace usbio::cp2112
