// SPDX-License-Identifier: Apache-2.0
// I2C transfers. The chip runs whole transactions on its own: a request
// (0x10 read, 0x11 write-then-read with repeated START, 0x14 write), then the
// host polls the transfer status (0x15 -> 0x16) until the chip is done, and
// for reads fetches the data in pieces of at most 61 bytes (0x12 -> 0x13).
// With Auto Send Read (device version 3 on) the chip sends a read's data
// reports by itself, and the status is polled only when they are late.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "cp2112/chip.hpp"

namespace usbio::cp2112 {

namespace {

using Clock = HidChannel::Clock;
using std::chrono::microseconds;
using std::chrono::milliseconds;

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

// Busy polls sent back to back before pausing between them: a real chip
// answers in about a millisecond, so this only matters for a fast host.
constexpr unsigned kEagerPolls = 2;
constexpr microseconds kPollInterval{500};
// Host-side slack on top of the bus and chip times: USB round trips, and a
// loaded host that runs this process (or the USB stack under it) late. A
// transaction is several transfers, each allowed a second on its own; 100 ms
// made a transaction fail on a busy machine while the chip was fine. Each
// 61-byte chunk read is one more round trip (force-send, data report), late
// by as much as the first: 5 ms each failed 512-byte reads the same way.
constexpr milliseconds kUsbSlack{500};
constexpr milliseconds kPerChunkSlack{50};
// With Auto Send Read: how long past the bus time the data may be late
// before the status is polled (a NACK or a bus fault sends no data at all).
// A data report follows the bus within a USB frame or two.
constexpr microseconds kAutoLate{2000};

std::error_code map_error_status(uint8_t detail) {
    switch (detail) {
    case xfer_error::address_nack: return err(ENXIO);
    case xfer_error::bus_not_free: return err(ETIMEDOUT);
    default: return err(EIO);  // arbitration lost, read or write incomplete
    }
}

}  // namespace

struct Chip::Plan {
    enum class Kind { write, read, write_read } kind = Kind::write;
    uint8_t addr = 0;
    std::span<const uint8_t> out;  // bytes written (write, write_read)
    std::span<uint8_t> in;         // bytes read (read, write_read)
};

// Which single chip request expresses `msgs`, or why none does.
std::error_code Chip::plan(std::span<I2cMsg> msgs, Plan& p) const {
    if (msgs.empty()) return err(EINVAL);
    for (const auto& m : msgs) {
        if (m.addr > 0x7f) return err(EINVAL);
        // Every chip request moves at least one byte: no SMBus quick command.
        if (m.buf.empty()) return err(EOPNOTSUPP);
    }
    p.addr = static_cast<uint8_t>(msgs[0].addr);
    if (msgs.size() == 1) {
        I2cMsg& m = msgs[0];
        if (m.flags & I2cMsg::read) {
            p.kind = Plan::Kind::read;
            p.in = m.buf;
            return m.buf.size() > kMaxRead ? err(EINVAL) : std::error_code{};
        }
        p.kind = Plan::Kind::write;
        p.out = m.buf;
        // There is no continuation report: a longer write would have to be
        // split into separate transactions, which is not what was asked.
        return m.buf.size() > kMaxWrite ? err(EINVAL) : std::error_code{};
    }
    if (msgs.size() == 2 && !(msgs[0].flags & I2cMsg::read) && (msgs[1].flags & I2cMsg::read) &&
        msgs[0].addr == msgs[1].addr) {
        if (!has_repeated_start()) return err(EOPNOTSUPP);
        p.kind = Plan::Kind::write_read;
        p.out = msgs[0].buf;
        p.in = msgs[1].buf;
        if (p.out.size() > kMaxWriteBeforeRead || p.in.size() > kMaxRead) return err(EINVAL);
        return {};
    }
    return err(EOPNOTSUPP);
}

std::error_code Chip::transfer(std::span<I2cMsg> msgs) {
    Plan p;
    if (auto ec = plan(msgs, p)) return ec;

    driver::AbortableMutex::Lock lk(i2c_mu_);
    if (!lk || ch_->aborted()) return err(ENODEV);
    const auto deadline = Clock::now() + budget(p);
    // Resynchronising after an abandoned exchange comes out of this call's
    // budget.
    if (auto ec = ch_->begin_exchange(deadline)) return ec;
    bool chip_busy = false;
    std::error_code ec = run(p, deadline, chip_busy);
    if (ec && ec.value() != ENODEV && chip_busy) {
        // The chip may still be running (or holding read data) for a
        // transaction the caller has given up on: stop it before the next.
        (void)ch_->send_output(build_cancel());
    }
    return ec;
}

// Wall-clock budget: the bus time at the current clock (twice, for clock
// stretching), the chip's own timeouts for every attempt, the SCL-low
// timeout, and USB round trips. The chip ends a faulty transfer itself well
// before this; the budget catches a chip that does not.
microseconds Chip::bus_time(const Plan& p) const {
    const std::size_t address_bytes = p.kind == Plan::Kind::write_read ? 2 : 1;
    const std::size_t bytes = p.out.size() + p.in.size() + address_bytes;
    return microseconds{bytes * 9 * 1'000'000ull / std::max<uint32_t>(bitrate_, 1)};
}

microseconds Chip::budget(const Plan& p) const {
    const microseconds bus = bus_time(p);
    const std::size_t chunks = (p.in.size() + kMaxReadChunk - 1) / kMaxReadChunk;
    // The chip's timeout bounds a whole transfer, retries included; the
    // second helping is margin (a retry limit of 0 means unlimited, and the
    // budget still ends it).
    const int64_t attempts = std::min<int64_t>(retry_limit_, 1) + 1;
    const milliseconds chip{static_cast<int64_t>(chip_timeout_ms_) * attempts + kSclLowTimeoutMs};
    return 2 * bus + chip + kUsbSlack + kPerChunkSlack * static_cast<int64_t>(chunks);
}

std::error_code Chip::run(const Plan& p, Clock::time_point deadline, bool& chip_busy) {
    std::vector<uint8_t> request;
    switch (p.kind) {
    case Plan::Kind::write: request = build_write(p.addr, p.out); break;
    case Plan::Kind::read: request = build_read_request(p.addr, p.in.size()); break;
    case Plan::Kind::write_read: request = build_write_read_request(p.addr, p.out, p.in.size()); break;
    }
    const bool auto_data = auto_send_ && p.kind != Plan::Kind::write;
    // Expected before the request goes out: the data may come before
    // send_output() returns.
    if (auto_data) ch_->expect_auto_data(p.in.size());
    chip_busy = true;
    if (auto ec = ch_->send_output(request)) return ec;
    if (auto_data) return collect_auto(p, deadline, chip_busy);
    if (auto ec = wait_done(deadline, chip_busy)) return ec;
    if (p.kind == Plan::Kind::write) {
        chip_busy = false;
        return {};
    }
    return collect(p, deadline, chip_busy);
}

std::error_code Chip::wait_done(Clock::time_point deadline, bool& chip_busy) {
    std::vector<uint8_t> r;
    for (unsigned polls = 0;; ++polls) {
        if (auto ec = ch_->send_output(build_status_request())) return ec;
        if (auto ec = ch_->await_input(report::status_response, deadline, r)) return ec;
        TransferStatus st;
        if (auto ec = parse_transfer_status(r, st)) return ec;
        switch (st.state) {
        case XferState::complete: return {};
        case XferState::error: chip_busy = false; return map_error_status(st.detail);
        case XferState::idle:
            // The chip is not running the transfer it was just given.
            chip_busy = false;
            return err(EIO);
        case XferState::busy: break;
        }
        const auto now = Clock::now();
        if (now >= deadline) return err(ETIMEDOUT);
        if (polls >= kEagerPolls)
            if (auto ec = ch_->pause_until(std::min(now + kPollInterval, deadline))) return ec;
    }
}

std::error_code Chip::collect(const Plan& p, Clock::time_point deadline, bool& chip_busy) {
    const std::span<uint8_t> buf = p.in;
    std::vector<uint8_t> r;
    std::size_t got = 0;
    while (got < buf.size()) {
        const std::size_t want = std::min(buf.size() - got, kMaxReadChunk);
        if (auto ec = ch_->send_output(build_force_send(want))) return ec;
        if (auto ec = ch_->await_input(report::read_response, deadline, r)) return ec;
        ReadResponse rr;
        if (auto ec = parse_read_response(r, want, rr)) return ec;
        if (rr.state == XferState::error) return err(EIO);
        std::memcpy(buf.data() + got, rr.data.data(), rr.data.size());
        got += rr.data.size();
    }
    chip_busy = false;
    return {};
}

// The data reports come by themselves; a status poll only when they are
// late: it says whether the chip still works on the read (wait on), is done
// (the data is on its way: wait for it), failed (its error), or has nothing
// (EIO).
std::error_code Chip::collect_auto(const Plan& p, Clock::time_point deadline, bool& chip_busy) {
    const std::span<uint8_t> buf = p.in;
    const microseconds patience = 2 * bus_time(p) + kAutoLate;
    std::vector<uint8_t> r;
    std::size_t got = 0;
    auto late_at = Clock::now() + patience;
    while (got < buf.size()) {
        std::error_code ec = ch_->await_input(report::read_response, std::min(late_at, deadline), r);
        if (!ec) {
            // A report without data only tells the state.
            if (r.size() > 2 && r[2] == 0) {
                if (r[1] != static_cast<uint8_t>(XferState::error)) continue;
                ch_->end_auto_data();
                chip_busy = false;
                return err(EIO);
            }
            ReadResponse rr;
            if (auto pe = parse_read_response(r, buf.size() - got, rr)) return pe;
            if (rr.state == XferState::error) return err(EIO);
            std::memcpy(buf.data() + got, rr.data.data(), rr.data.size());
            got += rr.data.size();
            late_at = Clock::now() + patience;
            continue;
        }
        if (ec.value() != ETIMEDOUT || Clock::now() >= deadline) return ec;
        if (auto se = ch_->send_output(build_status_request())) return se;
        if (auto se = ch_->await_input(report::status_response, deadline, r)) return se;
        TransferStatus st;
        if (auto se = parse_transfer_status(r, st)) return se;
        switch (st.state) {
        case XferState::busy: break;
        case XferState::complete:
            // The data is on its way (it may come after this status): wait
            // for it, without asking again; a later status would be idle.
            late_at = deadline;
            continue;
        case XferState::error:
            // Nothing sent before this status is still on its way.
            ch_->end_auto_data();
            chip_busy = false;
            return map_error_status(st.detail);
        case XferState::idle: chip_busy = false; return err(EIO);
        }
        late_at = std::min(Clock::now() + std::max(patience, kPollInterval), deadline);
    }
    chip_busy = false;
    return {};
}

}  // namespace usbio::cp2112
