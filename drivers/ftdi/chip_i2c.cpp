// SPDX-License-Identifier: Apache-2.0
// I2C transfers: the whole transfer is encoded into one command stream
// (mpsse.hpp) and sent in as few rounds as the check mode and the chip's
// reply FIFO allow; each round is one bulk OUT and the bulk IN reads of its
// reply. ACK bits are checked from the reply.
#include <algorithm>
#include <cerrno>

#include "ftdi/chip.hpp"

namespace usbio::ftdi {

namespace {

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

// Longest command stream one round carries: the OUT endpoint is flow
// controlled, so only the reply side is bound by a FIFO.
constexpr std::size_t kMaxRoundCommands = 256 * 1024;

// The last bus failure of a transfer on this thread, for failure_detail():
// per thread, so another caller's transfer cannot put its words in.
thread_local I2cFailure t_failure;

}  // namespace

// Bus time of every byte (twice, for slow pin commands) plus the USB round
// trips planned: each_byte makes one per byte written, so the time allowed
// grows with them rather than cutting a slow but working transfer short.
std::chrono::milliseconds Chip::budget(std::span<const I2cMsg> msgs, std::size_t rounds) const {
    std::size_t bytes = 0;
    for (const auto& m : msgs) bytes += m.buf.size() + 3;
    const uint32_t hz = std::max<uint32_t>(clock().bus_hz, 1);
    const uint64_t bus_ms = 2 * bytes * 9 * 1000 / hz;
    return std::chrono::milliseconds(500 + bus_ms + 50 * rounds);
}

std::error_code Chip::transfer(std::span<I2cMsg> msgs) {
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk || aborted_.load(std::memory_order_acquire)) return err(ENODEV);
    t_failure = {};
    I2cProgram p;
    if (auto ec = encode_transfer(msgs, mode_, timing_, shadow_, p)) return ec;
    const AckCheck check = ack_check();
    const std::vector<Round> rounds = plan_rounds(p, check, var_.fifo, kMaxRoundCommands);
    const auto deadline = Clock::now() + budget(msgs, rounds.size());
    if (need_sync_) {
        recover_stream();
        if (need_sync_) return aborted_.load() ? err(ENODEV) : err(EIO);
    }
    std::vector<uint8_t> cmd;
    std::vector<uint8_t> reply;
    for (std::size_t r = 0; r < rounds.size(); ++r) {
        const Round& round = rounds[r];
        cmd.assign(p.cmd.begin() + static_cast<std::ptrdiff_t>(round.cmd_begin),
                   p.cmd.begin() + static_cast<std::ptrdiff_t>(round.cmd_end));
        cmd.push_back(op::send_immediate);
        if (auto ec = exchange(cmd, round.reply_end - round.reply_begin, reply, deadline)) return after_failure(ec);
        I2cFailure failure;
        if (auto ec = decode_reply(p, round.reply_begin, reply, msgs, failure)) {
            recover_stream();
            return ec;
        }
        if (failure.error != 0) {
            // The round ended after a byte: finish the transaction here.
            if (r + 1 < rounds.size()) (void)write_cmd(stop_commands(mode_, timing_, shadow_), deadline);
            t_failure = failure;
            std::lock_guard ik(info_mu_);
            last_failure_ = failure;
            return err(failure.error);
        }
    }
    return {};
}

std::string Chip::failure_detail() { return t_failure.error ? t_failure.describe() : std::string(); }

std::error_code Chip::recover() {
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk || aborted_.load(std::memory_order_acquire)) return err(ENODEV);
    const auto deadline = Clock::now() + std::chrono::milliseconds(500);
    if (need_sync_) recover_stream();
    std::vector<uint8_t> reply;
    if (auto ec = exchange(recovery_commands(mode_, timing_, shadow_), kRecoveryReply, reply, deadline))
        return after_failure(ec);
    return (reply.back() & kSdaIn) ? std::error_code{} : err(EIO);
}

std::error_code Chip::set_clock_stretching(bool on) {
    if (!var_.adaptive) return err(EOPNOTSUPP);
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk || aborted_.load(std::memory_order_acquire)) return err(ENODEV);
    const PinShadow saved = shadow_;
    const uint16_t saved_od = open_drain_, saved_od_value = od_value_;
    std::vector<uint8_t> cmd;
    if (on) {
        // AD7 is the returned clock's input: released before the clock
        // engine starts waiting on it.
        constexpr auto bit = static_cast<uint8_t>(1u << (kRtckLine + 3));
        constexpr auto line = static_cast<uint16_t>(1u << kRtckLine);
        shadow_.low_dir &= static_cast<uint8_t>(~bit);
        shadow_.low_value &= static_cast<uint8_t>(~bit);
        open_drain_ &= static_cast<uint16_t>(~line);
        od_value_ &= static_cast<uint16_t>(~line);
        cmd = idle_low_byte(mode_, shadow_);
    }
    cmd.push_back(on ? op::adaptive_on : op::adaptive_off);
    if (need_sync_) recover_stream();
    if (auto ec = write_cmd(cmd, Clock::now() + std::chrono::milliseconds(1000))) {
        shadow_ = saved;
        open_drain_ = saved_od;
        od_value_ = saved_od_value;
        if (ec.value() != ENODEV) need_sync_ = true;
        return ec;
    }
    stretching_.store(on, std::memory_order_release);
    return {};
}

bool Chip::clock_stretching() const { return stretching_.load(std::memory_order_acquire); }

}  // namespace usbio::ftdi
