// SPDX-License-Identifier: Apache-2.0
#include "models/cp2112_engine.hpp"

#include <algorithm>
#include <utility>

namespace usbio::models::cp2112 {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

// A NACKed address costs the master about ten bit times before it can try
// again; that paces the retry counter the status reports.
microseconds attempt_period(uint32_t clock_hz) {
    return microseconds(std::max<uint32_t>(1, 10'000'000u / std::max<uint32_t>(clock_hz, 1)));
}

// While the bus is held low the engine looks again this often.
constexpr microseconds kStuckPollPeriod{1000};
// Bounds the work one call does when nobody asked for a long time.
constexpr int kMaxAttemptsPerAdvance = 4096;

uint16_t earliest_timeout(uint16_t a, uint16_t b) {
    if (a == 0) return b;
    if (b == 0) return a;
    return std::min(a, b);
}

}  // namespace

TransferEngine::TransferEngine(std::shared_ptr<I2cBus> bus) : bus_(std::move(bus)) {}

bool TransferEngine::read(uint8_t addr7, uint16_t length, const SmbusConfig& config, Clock::time_point now) {
    Transfer t;
    t.kind = Kind::read;
    t.addr7 = addr7;
    t.length = length;
    return begin(std::move(t), config, config.read_timeout_ms, now);
}

bool TransferEngine::write_read(uint8_t addr7, std::span<const uint8_t> out, uint16_t length, const SmbusConfig& config,
                                Clock::time_point now) {
    Transfer t;
    t.kind = Kind::write_read;
    t.addr7 = addr7;
    t.out.assign(out.begin(), out.end());
    t.length = length;
    return begin(std::move(t), config, earliest_timeout(config.read_timeout_ms, config.write_timeout_ms), now);
}

bool TransferEngine::write(uint8_t addr7, std::span<const uint8_t> data, const SmbusConfig& config,
                           Clock::time_point now) {
    Transfer t;
    t.kind = Kind::write;
    t.addr7 = addr7;
    t.out.assign(data.begin(), data.end());
    return begin(std::move(t), config, config.write_timeout_ms, now);
}

bool TransferEngine::begin(Transfer t, const SmbusConfig& config, uint16_t timeout_ms, Clock::time_point now) {
    advance(now);
    if (phase_ == Phase::active) return false;
    t.auto_send = config.auto_send_read && t.kind != Kind::write;
    t.retry_limit = config.retry_limit;
    t.scl_low_timeout = config.scl_low_timeout;
    t.attempt_period = attempt_period(config.clock_hz);
    if (timeout_ms != 0) t.timeout_at = now + milliseconds(timeout_ms);
    t.next_attempt = now;
    buffer_.clear();
    buffer_pos_ = 0;
    xfer_ = std::move(t);
    phase_ = Phase::active;
    advance(now);
    return true;
}

void TransferEngine::attempt(Transfer& t) {
    const auto at = t.next_attempt;
    I2cOutcome o;
    switch (t.kind) {
    case Kind::read: o = bus_->read_transaction(t.addr7, t.length); break;
    case Kind::write: o = bus_->write_transaction(t.addr7, t.out); break;
    case Kind::write_read: o = bus_->write_read(t.addr7, t.out, t.length, repeated_start_); break;
    }
    switch (o.result) {
    case I2cResult::ok:
        t.data = std::move(o.data);
        resolve(t, kComplete, kSucceeded, at);
        break;
    case I2cResult::data_nack: resolve(t, kError, kErrorWriteIncomplete, at); break;
    case I2cResult::addr_nack:
        t.waiting = Wait::nack;
        t.stuck_since.reset();
        if (t.retry_limit != 0 && t.retries >= t.retry_limit) {
            resolve(t, kError, kErrorAddressNack, at);
        } else {
            if (t.retries < 0xFFFF) ++t.retries;
            t.next_attempt = at + t.attempt_period;
        }
        break;
    case I2cResult::bus_stuck:
        // Waiting for a free bus is not a retry.
        t.waiting = Wait::stuck;
        if (!t.stuck_since) t.stuck_since = at;
        t.next_attempt = at + kStuckPollPeriod;
        break;
    }
}

void TransferEngine::resolve(Transfer& t, uint8_t status0, uint8_t status1, Clock::time_point at) {
    t.resolved = true;
    t.waiting = Wait::none;
    t.status0 = status0;
    t.status1 = status1;
    t.visible_at = at + slow_;
}

void TransferEngine::finish(Transfer& t) {
    phase_ = Phase::finished;
    if (t.status0 != kComplete || t.kind == Kind::write) return;
    buffer_ = t.data;
    buffer_pos_ = 0;
    if (!t.auto_send) return;
    if (t.kind == Kind::write_read && auto_send_address_echo_) {
        // Erratum CP2112_E101 (fixed in device version 3): the chip may send
        // the SMBus buffer between the last address byte and the repeated
        // START, while it still holds the address bytes, so the reply starts
        // with them ("0xAA, 0x05" for two bytes read at address 0xAA). The
        // real chip does so usually; the model always does, so a host that
        // trusts Auto Send Read on such a chip sees the wrong data.
        const std::size_t n = std::min(t.out.size(), buffer_.size());
        std::copy_n(t.out.begin(), n, buffer_.begin());
    }
    for (std::size_t pos = 0; pos < buffer_.size(); pos += max_chunk_) {
        const std::size_t n = std::min(max_chunk_, buffer_.size() - pos);
        auto first = buffer_.begin() + std::ptrdiff_t(pos);
        auto_chunks_.push_back({kComplete, std::vector<uint8_t>(first, first + std::ptrdiff_t(n))});
    }
    buffer_pos_ = buffer_.size();
}

void TransferEngine::advance(Clock::time_point now) {
    if (phase_ != Phase::active) return;
    Transfer& t = *xfer_;
    int budget = kMaxAttemptsPerAdvance;
    while (!t.resolved) {
        auto limit = t.timeout_at;
        if (t.waiting == Wait::stuck && t.scl_low_timeout) {
            const auto scl = *t.stuck_since + milliseconds(kSclLowTimeoutMs);
            limit = limit ? std::min(*limit, scl) : scl;
        }
        if (limit && *limit <= t.next_attempt) {
            // The timeout fires before the next attempt would be made.
            if (*limit > now) break;
            resolve(t, kError, t.waiting == Wait::stuck ? kErrorBusNotFree : kErrorAddressNack, *limit);
            break;
        }
        if (t.next_attempt > now) break;
        if (budget-- == 0) {
            t.next_attempt = now + t.attempt_period;
            break;
        }
        attempt(t);
    }
    if (t.resolved && now >= t.visible_at) finish(t);
}

TransferStatus TransferEngine::status_now() const {
    if (phase_ == Phase::idle) return {};
    const Transfer& t = *xfer_;
    if (phase_ == Phase::finished) {
        const bool got_data = t.status0 == kComplete && t.kind != Kind::write;
        return {t.status0, t.status1, t.retries, uint16_t(got_data ? t.data.size() : 0)};
    }
    uint8_t s1 = t.kind == Kind::write ? kBusyWriting : kBusyReading;
    if (!t.resolved && t.waiting == Wait::nack) s1 = kBusyAddressNacked;
    return {kBusy, s1, t.retries, 0};
}

TransferStatus TransferEngine::status_request(Clock::time_point now) {
    advance(now);
    const TransferStatus s = status_now();
    if (phase_ == Phase::finished) {
        phase_ = Phase::idle;
        xfer_.reset();
    }
    return s;
}

std::optional<ReadChunk> TransferEngine::force_send(uint16_t length, Clock::time_point now) {
    advance(now);
    const uint8_t status0 = status_now().status0;
    if (buffer_pos_ < buffer_.size()) {
        const std::size_t n = std::min({std::size_t(length), max_chunk_, buffer_.size() - buffer_pos_});
        auto first = buffer_.begin() + std::ptrdiff_t(buffer_pos_);
        buffer_pos_ += n;
        return ReadChunk{status0, std::vector<uint8_t>(first, first + std::ptrdiff_t(n))};
    }
    if (phase_ == Phase::active && xfer_->kind != Kind::write) return ReadChunk{kBusy, {}};  // nothing received yet
    return std::nullopt;
}

std::vector<ReadChunk> TransferEngine::take_auto_chunks() { return std::exchange(auto_chunks_, {}); }

std::optional<TransferEngine::Clock::time_point> TransferEngine::next_auto_event() const {
    if (phase_ != Phase::active || !xfer_->auto_send) return std::nullopt;
    const Transfer& t = *xfer_;
    if (t.resolved) return t.visible_at;
    auto next = t.next_attempt;
    if (t.timeout_at) next = std::min(next, *t.timeout_at);
    return next;
}

void TransferEngine::reject(Clock::time_point now) {
    advance(now);
    if (phase_ == Phase::active) return;
    phase_ = Phase::idle;
    xfer_.reset();
    buffer_.clear();
    buffer_pos_ = 0;
}

void TransferEngine::cancel() {
    phase_ = Phase::idle;
    xfer_.reset();
    buffer_.clear();
    buffer_pos_ = 0;
    auto_chunks_.clear();
}

void TransferEngine::reset() {
    // The slow setting is a property of the simulated target, not chip state.
    cancel();
}

}  // namespace usbio::models::cp2112
