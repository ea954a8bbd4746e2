// SPDX-License-Identifier: Apache-2.0
// The CP2112's SMBus transfer engine: one transfer at a time, run on the
// simulated I2C bus, with the chip's retry, timeout and status rules.
//
// Time is wall clock (steady_clock) passed in by the caller, so nothing here
// blocks or sleeps; the engine moves forward whenever it is asked something.
// A transfer's bus transaction runs when it is attempted, but its outcome is
// hidden behind status Busy for the configured extra "slow" time.
// Not locked; the model locks.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "models/cp2112_protocol.hpp"
#include "models/i2c_bus.hpp"

namespace usbio::models::cp2112 {

struct TransferStatus {
    uint8_t status0 = kIdle;
    uint8_t status1 = 0;
    uint16_t retries = 0;   // status2
    uint16_t received = 0;  // status3
};

// The payload of one Data Read Response (0x13).
struct ReadChunk {
    uint8_t status0 = kIdle;
    std::vector<uint8_t> data;  // at most kMaxReadChunk bytes
};

class TransferEngine {
public:
    using Clock = std::chrono::steady_clock;

    explicit TransferEngine(std::shared_ptr<I2cBus> bus);

    void set_slow(std::chrono::microseconds extra_busy) { slow_ = extra_busy; }
    // Most bytes one Data Read Response carries (a fault: the chip's is 61).
    void set_max_chunk(std::size_t n) { max_chunk_ = n; }
    // Device version 1 has no repeated START (erratum): it puts STOP+START
    // between the write and read parts of a write-read request.
    void set_repeated_start(bool supported) { repeated_start_ = supported; }
    // Device versions before 3 (erratum CP2112_E101): an auto-sent write-read
    // reply starts with the bytes written as the target address.
    void set_auto_send_address_echo(bool present) { auto_send_address_echo_ = present; }

    // Requests (validated by the caller). A request that arrives while a
    // transfer is running is ignored, as one engine does one transfer; they
    // return false then.
    bool read(uint8_t addr7, uint16_t length, const SmbusConfig& config, Clock::time_point now);
    bool write_read(uint8_t addr7, std::span<const uint8_t> out, uint16_t length, const SmbusConfig& config,
                    Clock::time_point now);
    bool write(uint8_t addr7, std::span<const uint8_t> data, const SmbusConfig& config, Clock::time_point now);
    // A request the chip could not parse: an idle engine stays idle and drops
    // buffered data; a running transfer is not disturbed.
    void reject(Clock::time_point now);
    void cancel();
    void reset();

    // Transfer Status Request (0x15). Reading out a final status (Complete or
    // Error) returns the engine to Idle; buffered read data stays.
    TransferStatus status_request(Clock::time_point now);
    // Data Read Force Send (0x12): the next chunk of buffered read data; an
    // empty Busy chunk while a read is still running; nullopt (no response)
    // when there is nothing to send.
    std::optional<ReadChunk> force_send(uint16_t length, Clock::time_point now);
    // Data Read Responses produced for Auto Send Read since the last call.
    std::vector<ReadChunk> take_auto_chunks();

    // Brings time-driven state up to date (retries, timeouts, slow outcome).
    void advance(Clock::time_point now);
    // When an auto-send read will next change by itself, for a timer that
    // delivers its data unasked; nullopt when nothing would be delivered.
    std::optional<Clock::time_point> next_auto_event() const;

private:
    enum class Kind { read, write_read, write };
    enum class Phase { idle, active, finished };
    enum class Wait { none, nack, stuck };

    struct Transfer {
        Kind kind = Kind::read;
        uint8_t addr7 = 0;
        std::vector<uint8_t> out;
        uint16_t length = 0;
        bool auto_send = false;
        uint16_t retry_limit = 0;
        bool scl_low_timeout = false;
        std::chrono::microseconds attempt_period{100};
        std::optional<Clock::time_point> timeout_at;
        Clock::time_point next_attempt;
        std::optional<Clock::time_point> stuck_since;
        Wait waiting = Wait::none;
        uint16_t retries = 0;
        bool resolved = false;
        Clock::time_point visible_at;
        uint8_t status0 = kBusy;
        uint8_t status1 = 0;
        std::vector<uint8_t> data;
    };

    bool begin(Transfer t, const SmbusConfig& config, uint16_t timeout_ms, Clock::time_point now);
    void attempt(Transfer& t);
    void resolve(Transfer& t, uint8_t status0, uint8_t status1, Clock::time_point at);
    void finish(Transfer& t);
    TransferStatus status_now() const;

    std::shared_ptr<I2cBus> bus_;
    std::chrono::microseconds slow_{0};
    std::size_t max_chunk_ = kMaxReadChunk;
    bool repeated_start_ = true;
    bool auto_send_address_echo_ = false;
    Phase phase_ = Phase::idle;
    std::optional<Transfer> xfer_;
    std::vector<uint8_t> buffer_;  // read data not yet sent to the host
    std::size_t buffer_pos_ = 0;
    std::vector<ReadChunk> auto_chunks_;
};

}  // namespace usbio::models::cp2112
