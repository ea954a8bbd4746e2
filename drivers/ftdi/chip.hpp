// SPDX-License-Identifier: Apache-2.0
// One MPSSE port of an FTDI FT232H / FT2232H / FT4232H: the provider core
// holds, with the port's I2C bus (AD0 SCL, AD1/AD2 SDA) and GPIO lines
// (ADBUS3-7, ACBUS0-7). It speaks only through usb::Transport: vendor
// requests on endpoint 0 and one bulk OUT / bulk IN pair.
//
// Concurrency: the port has one command stream and one reply stream with
// no tags, so every exchange (I2C transfer, GPIO read or write) holds one
// lock; GPIO and I2C share the pin bytes, and holding it is what keeps a
// GPIO write from landing inside a transfer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "ftdi/mpsse.hpp"
#include "usbio/driver/abortable_mutex.hpp"
#include "usbio/driver/provider.hpp"
#include "usbio/usb/transport.hpp"

namespace usbio::ftdi {

inline constexpr uint16_t kVendorId = 0x0403;

struct Variant {
    const char* chip = "";  // "ft232h"
    uint16_t pid = 0;
    unsigned mpsse_ports = 0;
    bool drive_zero = false;  // 0x9E: open-drain I2C pins
    bool high_byte = false;   // ACBUS lines
    std::size_t fifo = 0;     // bytes each way
    bool adaptive = false;    // 0x96/0x97: adaptive clocking (RTCK on AD7)
};

// The MPSSE chip with this product id, or null.
const Variant* variant_for(uint16_t pid);
const std::vector<Variant>& variants();

class Chip final : public driver::Provider, public driver::GpioOps, public driver::I2cOps {
public:
    using Clock = std::chrono::steady_clock;

    // Opens the port the transport claimed: resets it, enters MPSSE mode,
    // synchronises on a bad opcode's echo and sets up the I2C engine at
    // 100 kHz with the bus idle. `who` names the adapter in messages.
    static Result<std::unique_ptr<Chip>> open(std::unique_ptr<usb::Transport> transport, const std::string& who);
    ~Chip() override;

    const Variant& variant() const { return var_; }
    unsigned port() const { return interface_; }
    // GPIO lines: ADBUS3..ADBUS7 and (with a high byte) ACBUS0..ACBUS7.
    unsigned num_lines() const { return var_.high_byte ? 13 : 5; }
    static std::string line_name(unsigned offset);
    // Line 4 (ADBUS7) is the returned clock while stretching is on.
    static constexpr unsigned kRtckLine = 4;
    static constexpr const char* kRtckFunction = "i2c clock stretching (SCL feedback)";

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
    std::string failure_detail() override;
    // Every mode (see mpsse.hpp): how a transfer is cut into rounds.
    std::error_code set_ack_check(AckCheck check) override;
    std::error_code get_ack_check(AckCheck& check) override;
    // Nine clocks with SDA released, SDA checked, STOP. EIO when a target
    // still holds SDA low.
    std::error_code recover() override;
    // Adaptive clocking with AD7 (wired to SCL) as the returned clock: the
    // clock engine waits while a target holds SCL low. AD7 is no GPIO line
    // meanwhile (EBUSY). EOPNOTSUPP on the FT4232H, which has none.
    std::error_code set_clock_stretching(bool on) override;

    // Beyond core's ops ------------------------------------------------------
    bool clock_stretching() const;
    AckCheck ack_check() const;
    ClockSetting clock() const;
    // What the last failed transfer failed on (the byte, the address).
    I2cFailure last_failure() const;
    // Bulk OUT transfers sent so far (each I2C round is one, with one IN).
    uint64_t bulk_writes() const { return bulk_writes_.load(std::memory_order_relaxed); }

private:
    Chip(std::unique_ptr<usb::Transport> transport, std::string who, const Variant& var, uint8_t interface,
         uint8_t in_ep, uint8_t out_ep, uint16_t max_packet);

    std::error_code setup(Clock::time_point deadline);
    std::error_code vendor(uint8_t request, uint16_t value);
    std::error_code purge();
    // Sends the bad opcode and expects exactly its echo back.
    std::error_code sync(Clock::time_point deadline);
    // After a failed exchange: purge, resynchronise, clock the bus free and
    // leave it idle.
    void recover_stream();
    // What a failed exchange (not ENODEV) returns: `ec` after
    // recover_stream(), or ENODEV when the recovery failed too and the
    // removal reached abort_io() within kLeaveWait. A chip whose control
    // endpoint stops answering as well is most likely being unplugged, and
    // its callers are owed ENODEV, not the timeout the unplug caused.
    std::error_code after_failure(std::error_code ec);
    std::error_code write_cmd(std::span<const uint8_t> cmd, Clock::time_point deadline);
    // Writes `cmd` and reads exactly `n` reply bytes. EPROTO when the chip
    // sends more (a bad-command echo) or a malformed packet.
    std::error_code exchange(std::span<const uint8_t> cmd, std::size_t n, std::vector<uint8_t>& reply,
                             Clock::time_point deadline);
    std::error_code map(std::error_code ec) const;
    std::error_code write_pins(bool low, bool high);
    std::error_code read_pins(uint16_t& levels);
    std::chrono::milliseconds budget(std::span<const I2cMsg> msgs, std::size_t rounds) const;

    std::unique_ptr<usb::Transport> t_;
    const std::string who_;
    const Variant var_;
    const uint8_t interface_;
    const uint8_t in_ep_;
    const uint8_t out_ep_;
    const uint16_t max_packet_;
    const SdaMode mode_;

    driver::AbortableMutex mu_;
    // Guarded by mu_:
    Timing timing_;
    PinShadow shadow_;
    uint16_t open_drain_ = 0;  // lines emulating open drain by direction
    uint16_t od_value_ = 0;    // their requested levels
    bool need_sync_ = false;

    mutable std::mutex info_mu_;  // written under mu_ too; read without it
    ClockSetting clock_;
    AckCheck check_ = AckCheck::at_end;
    I2cFailure last_failure_;

    std::atomic<bool> stretching_{false};  // adaptive clocking on (written under mu_)
    std::atomic<bool> aborted_{false};
    std::mutex abort_mu_;  // with abort_cv_: after_failure() waits for abort_io()
    std::condition_variable abort_cv_;
    std::atomic<uint64_t> bulk_writes_{0};
};

}  // namespace usbio::ftdi
