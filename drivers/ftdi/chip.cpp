// SPDX-License-Identifier: Apache-2.0
// Opening a port and the exchanges every operation is made of: vendor
// requests, one bulk OUT with its commands, bulk IN until the reply is in.
#include "ftdi/chip.hpp"

#include <algorithm>
#include <cerrno>

#include "common/transfer_status.hpp"
#include "usbio/usb/ch9.hpp"

namespace usbio::ftdi {

namespace {

using std::chrono::milliseconds;

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

constexpr milliseconds kControlTimeout{1000};
constexpr milliseconds kSetupBudget{1000};
constexpr milliseconds kSyncBudget{250};
// How long a call whose exchange and recovery both failed waits for the
// removal (hotplug is slower than a timed-out transfer on a busy host).
constexpr milliseconds kLeaveWait{1000};
constexpr uint8_t kLatencyMs = 1;

milliseconds left(Chip::Clock::time_point deadline) {
    const auto now = Chip::Clock::now();
    if (now >= deadline) return milliseconds(0);
    return std::max(milliseconds(1), std::chrono::duration_cast<milliseconds>(deadline - now));
}

}  // namespace

const std::vector<Variant>& variants() {
    static const std::vector<Variant> v = {
        {"ft232h", 0x6014, 1, true, true, 1024, true},
        {"ft2232h", 0x6010, 2, false, true, 4096, true},
        {"ft4232h", 0x6011, 2, false, false, 2048, false},
    };
    return v;
}

const Variant* variant_for(uint16_t pid) {
    for (const auto& v : variants())
        if (v.pid == pid) return &v;
    return nullptr;
}

std::string Chip::line_name(unsigned offset) {
    return offset < 5 ? "ADBUS" + std::to_string(offset + 3) : "ACBUS" + std::to_string(offset - 5);
}

Chip::Chip(std::unique_ptr<usb::Transport> transport, std::string who, const Variant& var, uint8_t interface,
           uint8_t in_ep, uint8_t out_ep, uint16_t max_packet)
    : t_(std::move(transport)),
      who_(std::move(who)),
      var_(var),
      interface_(interface),
      in_ep_(in_ep),
      out_ep_(out_ep),
      max_packet_(max_packet),
      mode_(var.drive_zero ? SdaMode::drive_zero : SdaMode::switch_direction) {}

Chip::~Chip() = default;

Result<std::unique_ptr<Chip>> Chip::open(std::unique_ptr<usb::Transport> transport, const std::string& who) {
    const usb::DeviceIdentity& id = transport->identity();
    const Variant* var = id.vid == kVendorId ? variant_for(id.pid) : nullptr;
    if (!var) return make_error(EPROTO, who + ": not an FTDI MPSSE chip");
    if (id.interfaces.empty()) return make_error(EPROTO, who + ": no interface");
    const usb::InterfaceInfo& itf = id.interfaces.front();
    if (itf.number >= var->mpsse_ports)
        return make_error(EOPNOTSUPP, who + ": port " + std::string(1, char('A' + itf.number)) + " of an " + var->chip +
                                          " has no MPSSE");
    const usb::EndpointInfo* in = nullptr;
    const usb::EndpointInfo* out = nullptr;
    for (const auto& ep : itf.endpoints) {
        if (ep.type != usb::TransferType::bulk) continue;
        if (ep.address & usb::kDirIn) {
            if (!in) in = &ep;
        } else if (!out) {
            out = &ep;
        }
    }
    if (!in || !out || in->max_packet <= 2) return make_error(EPROTO, who + ": no bulk IN and OUT endpoints");
    std::unique_ptr<Chip> chip(
        new Chip(std::move(transport), who, *var, itf.number, in->address, out->address, in->max_packet));
    if (auto ec = chip->setup(Clock::now() + kSetupBudget)) {
        if (ec.value() == EPROTO)
            return make_error(EPROTO, who + ": the MPSSE did not answer a bad command with 0xFA: not in MPSSE mode");
        return make_error(ec.value(), who + ": setting up the MPSSE: " + ec.message());
    }
    return chip;
}

std::error_code Chip::setup(Clock::time_point deadline) {
    if (auto ec = vendor(sio::reset, sio::reset_sio)) return ec;
    if (auto ec = vendor(sio::set_latency, kLatencyMs)) return ec;
    if (auto ec = vendor(sio::set_bitmode, sio::mode_reset << 8)) return ec;
    // All pins inputs until the set-up commands give SCL and SDA their
    // idle levels: no glitch on the bus.
    if (auto ec = vendor(sio::set_bitmode, sio::mode_mpsse << 8)) return ec;
    if (auto ec = purge()) return ec;
    if (auto ec = sync(deadline)) return ec;
    ClockSetting clock;
    (void)clock_for(100'000, clock);
    timing_ = timing_for(clock.bus_hz);
    {
        std::lock_guard lk(info_mu_);
        clock_ = clock;
    }
    if (auto ec = write_cmd(setup_commands(clock, mode_, shadow_, var_.high_byte), deadline)) return ec;
    // The set-up must not have drawn a bad-command reply either.
    return sync(deadline);
}

std::error_code Chip::map(std::error_code ec) const {
    return drivers::transfer_status(ec, aborted_.load(std::memory_order_acquire));
}

std::error_code Chip::vendor(uint8_t request, uint16_t value) {
    usb::ControlSetup s;
    s.bmRequestType = usb::ch9::kReqTypeVendor | usb::ch9::kRecipientDevice;
    s.bRequest = request;
    s.wValue = value;
    s.wIndex = static_cast<uint16_t>(interface_ + 1);  // port A = 1
    return map(t_->control_out(s, {}, kControlTimeout));
}

std::error_code Chip::purge() {
    // Which of the two values purges which FIFO is disputed: send both.
    if (auto ec = vendor(sio::reset, sio::purge_rx)) return ec;
    return vendor(sio::reset, sio::purge_tx);
}

std::error_code Chip::sync(Clock::time_point deadline) {
    const uint8_t probe[] = {op::sync_probe, op::send_immediate};
    std::vector<uint8_t> reply;
    if (auto ec = write_cmd(probe, deadline)) return ec;
    // Read what comes, expecting exactly the echo: anything before it is
    // stale and makes the sync fail (the caller purges and tries again).
    std::vector<uint8_t> got;
    while (got.size() < 2) {
        std::vector<uint8_t> raw;
        const auto ms = left(deadline);
        if (ms.count() == 0) return err(ETIMEDOUT);
        if (auto ec = map(t_->read(in_ep_, usb::TransferType::bulk, max_packet_, raw, ms))) return ec;
        if (auto ec = strip_status(raw, max_packet_, got)) return ec;
    }
    if (got.size() != 2 || got[0] != op::bad_command_reply || got[1] != op::sync_probe) return err(EPROTO);
    return {};
}

void Chip::recover_stream() {
    if (aborted_.load(std::memory_order_acquire)) return;
    const auto deadline = Clock::now() + kSyncBudget;
    need_sync_ = true;
    if (purge()) return;
    if (sync(deadline)) return;
    // The bus may be mid-byte, a target driving SDA: nine clocks with SDA
    // released end its byte, then a STOP leaves the bus idle (from idle
    // too, SCL falls before SDA moves).
    std::vector<uint8_t> reply;
    if (exchange(recovery_commands(mode_, timing_, shadow_), kRecoveryReply, reply, deadline)) return;
    need_sync_ = false;
}

std::error_code Chip::after_failure(std::error_code ec) {
    if (ec.value() == ENODEV) return ec;
    recover_stream();
    if (!need_sync_) return ec;
    std::unique_lock lk(abort_mu_);
    if (abort_cv_.wait_for(lk, kLeaveWait, [this] { return aborted_.load(std::memory_order_acquire); }))
        return err(ENODEV);
    return ec;
}

std::error_code Chip::write_cmd(std::span<const uint8_t> cmd, Clock::time_point deadline) {
    if (aborted_.load(std::memory_order_acquire)) return err(ENODEV);
    const auto ms = left(deadline);
    if (ms.count() == 0) return err(ETIMEDOUT);
    bulk_writes_.fetch_add(1, std::memory_order_relaxed);
    return map(t_->write(out_ep_, usb::TransferType::bulk, cmd, ms));
}

std::error_code Chip::exchange(std::span<const uint8_t> cmd, std::size_t n, std::vector<uint8_t>& reply,
                               Clock::time_point deadline) {
    reply.clear();
    if (auto ec = write_cmd(cmd, deadline)) return ec;
    const std::size_t payload = max_packet_ - 2u;
    while (reply.size() < n) {
        // Room for two bytes more than owed, so a bad-command echo arrives
        // in the same read and is seen.
        const std::size_t packets = (n - reply.size() + 2 + payload - 1) / payload;
        const auto ms = left(deadline);
        if (ms.count() == 0) return err(ETIMEDOUT);
        std::vector<uint8_t> raw;
        if (auto ec = map(t_->read(in_ep_, usb::TransferType::bulk, packets * max_packet_, raw, ms))) return ec;
        // A status-only packet is the chip saying "nothing yet".
        if (auto ec = strip_status(raw, max_packet_, reply)) return ec;
    }
    if (reply.size() > n) return err(EPROTO);
    return {};
}

void Chip::abort_io() noexcept {
    {
        std::lock_guard lk(abort_mu_);
        aborted_.store(true, std::memory_order_release);
    }
    abort_cv_.notify_all();
    t_->abort();
    mu_.abort();
}

std::error_code Chip::set_ack_check(AckCheck check) {
    std::lock_guard lk(info_mu_);
    check_ = check;
    return {};
}

std::error_code Chip::get_ack_check(AckCheck& check) {
    check = ack_check();
    return {};
}

AckCheck Chip::ack_check() const {
    std::lock_guard lk(info_mu_);
    return check_;
}

ClockSetting Chip::clock() const {
    std::lock_guard lk(info_mu_);
    return clock_;
}

I2cFailure Chip::last_failure() const {
    std::lock_guard lk(info_mu_);
    return last_failure_;
}

std::error_code Chip::set_bitrate(uint32_t hz) {
    ClockSetting c;
    if (auto ec = clock_for(hz, c)) return ec;
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk) return err(ENODEV);
    const uint8_t cmd[] = {op::set_divisor, static_cast<uint8_t>(c.divisor & 0xff),
                           static_cast<uint8_t>(c.divisor >> 8)};
    if (auto ec = write_cmd(cmd, Clock::now() + kControlTimeout)) return ec;
    timing_ = timing_for(c.bus_hz);
    std::lock_guard ik(info_mu_);
    clock_ = c;
    return {};
}

std::error_code Chip::get_bitrate(uint32_t& hz) {
    hz = clock().bus_hz;
    return {};
}

}  // namespace usbio::ftdi
