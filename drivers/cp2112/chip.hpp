// SPDX-License-Identifier: Apache-2.0
// One opened CP2112: the provider core holds, with the chip's GPIO and I2C
// operations. It speaks only through a HidChannel over usb::Transport, so the
// same code drives a simulated chip and a real one.
//
// Concurrency: I2C transactions are serialised (the chip runs one at a time
// and its replies carry no tag); GPIO feature reports go over endpoint 0 and
// may run beside a transaction; GPIO configuration changes are serialised
// among themselves because they read-modify-write one report.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "cp2112/hid_channel.hpp"
#include "cp2112/reports.hpp"
#include "usbio/driver/abortable_mutex.hpp"
#include "usbio/driver/provider.hpp"

namespace usbio::cp2112 {

class Chip final : public driver::Provider, public driver::GpioOps, public driver::I2cOps, public driver::ConfigOps {
public:
    // Opens the chip on `transport`: checks the part number, configures the
    // SMBus engine (100 kHz, chip-side timeouts, one retry, SCL-low timeout)
    // and discards stale input reports. `who` names the adapter in messages.
    static Result<std::unique_ptr<Chip>> open(std::unique_ptr<usb::Transport> transport, const std::string& who);

    ~Chip() override;

    const usb::DeviceIdentity& identity() const { return ch_->identity(); }
    const VersionInfo& version() const { return version_; }
    bool has_repeated_start() const { return version_.device_version >= 2; }
    // Auto Send Read: the chip sends a read's data as it arrives, which
    // saves the status poll and a force-send per 61 bytes. Only from device
    // version 3, which fixed erratum CP2112_E101 (before it an auto-sent
    // write-read may carry the address bytes in place of the data).
    bool can_auto_send() const { return version_.device_version >= 3; }

    // Provider
    void abort_io() noexcept override;

    // GpioOps
    std::error_code configure(unsigned offset, const driver::GpioLineConfig& cfg) override;
    std::error_code get_config(unsigned offset, driver::GpioLineConfig& cfg) override;
    std::error_code get(uint64_t mask, uint64_t& levels) override;
    std::error_code set(uint64_t mask, uint64_t levels) override;

    // I2cOps
    std::error_code transfer(std::span<I2cMsg> msgs) override;
    std::error_code set_bitrate(uint32_t hz) override;
    std::error_code get_bitrate(uint32_t& hz) override;

    // ConfigOps (chip_config.cpp): the settings of config_specs(), in order.
    std::error_code read_config(std::vector<driver::ConfigValue>& out) override;
    std::error_code write_config(std::size_t index, std::string_view value) override;

private:
    struct Plan;

    explicit Chip(std::unique_ptr<HidChannel> ch) : ch_(std::move(ch)) {}

    std::error_code read_version();
    // Read-modify-write of the SMBus configuration with the settings this
    // driver relies on, at `hz`. Caller holds i2c_mu_ (or is open()).
    std::error_code apply_smbus_config(uint32_t hz);

    // Writes a whole SMBus configuration and takes its timeouts and retry
    // limit for the transfer budget. Caller holds i2c_mu_ (or is open()).
    std::error_code write_smbus_config(const SmbusConfig& cfg);
    std::error_code read_smbus_config(SmbusConfig& cfg);

    // Both keep special_ in step with the chip. Caller holds gpio_mu_.
    std::error_code read_gpio_config(GpioConfig& cfg);
    std::error_code write_gpio_config(const GpioConfig& cfg);
    std::error_code read_gpio_values(uint8_t& values);

    // I2C engine (caller holds i2c_mu_, except for plan()).
    std::error_code plan(std::span<I2cMsg> msgs, Plan& p) const;
    std::chrono::microseconds budget(const Plan& p) const;
    std::error_code run(const Plan& p, HidChannel::Clock::time_point deadline, bool& chip_busy);
    std::error_code wait_done(HidChannel::Clock::time_point deadline, bool& chip_busy);
    std::error_code collect(const Plan& p, HidChannel::Clock::time_point deadline, bool& chip_busy);
    std::error_code collect_auto(const Plan& p, HidChannel::Clock::time_point deadline, bool& chip_busy);
    std::chrono::microseconds bus_time(const Plan& p) const;

    std::unique_ptr<HidChannel> ch_;
    VersionInfo version_;

    // Broken by abort_io(), so queued callers leave at once on removal.
    driver::AbortableMutex i2c_mu_;
    uint32_t bitrate_ = 100'000;    // guarded by i2c_mu_
    uint16_t chip_timeout_ms_ = 0;  // guarded by i2c_mu_
    // Retries of a NACKed address before the chip reports the NACK: one by
    // default, so a target busy for a moment (an EEPROM write cycle) is
    // tried twice while a missing one fails fast. Guarded by i2c_mu_.
    uint16_t retry_limit_ = 1;
    bool auto_send_ = false;  // as last written to the chip; guarded by i2c_mu_

    driver::AbortableMutex gpio_mu_;
    // Lines given to a special function (LED toggle, clock out) as last
    // read or written: GPIO calls on them fail with EBUSY. Guarded by gpio_mu_.
    uint8_t special_lines_ = 0;

    // One-time programmable fields are written one at a time.
    driver::AbortableMutex prom_mu_;
};

// The configuration settings a CP2112 offers, in read_config() order.
std::vector<driver::ConfigSpec> config_specs();

// Chip-side read/write timeout for a bus clock: long enough for the longest
// transaction the chip accepts at that clock, so only a real fault hits it.
uint16_t chip_timeout_ms_for(uint32_t hz);

}  // namespace usbio::cp2112
