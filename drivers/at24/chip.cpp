// SPDX-License-Identifier: Apache-2.0
#include "at24/chip.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace usbio::at24 {

namespace {

using Clock = std::chrono::steady_clock;

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

std::string hex(std::size_t v, int digits) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%0*zx", digits, v);
    return b;
}

// This thread's last failure, for failure_detail().
thread_local std::string t_detail;

}  // namespace

Chip::Chip(const At24Type& type, std::unique_ptr<driver::ClientBus> bus, std::chrono::milliseconds write_timeout)
    : type_(type), bus_(std::move(bus)), addr_(bus_->address()), write_timeout_(write_timeout) {}

void Chip::abort_io() noexcept {
    // Transfers fail with ENODEV from now on, so an ACK-polling loop ends
    // at its next poll; queued callers leave at once.
    bus_->abort();
    mu_.abort();
}

std::string Chip::failure_detail() { return t_detail; }

std::error_code Chip::fail(std::error_code ec, std::string detail) {
    t_detail = std::move(detail);
    return ec;
}

std::size_t Chip::word_address(std::size_t offset, uint8_t* out) const {
    if (type_.word_bytes == 1) {
        out[0] = uint8_t(offset & 0xff);
        return 1;
    }
    out[0] = uint8_t(offset >> 8);
    out[1] = uint8_t(offset & 0xff);
    return 2;
}

template <class Transfer>
std::error_code Chip::while_busy(Clock::time_point since, Transfer&& transfer) {
    // As Linux's at24: an attempt that starts before the deadline counts,
    // so a slow adapter never turns a finished write cycle into a timeout.
    for (;;) {
        const auto started = Clock::now();
        const std::error_code ec = transfer();
        if (ec.value() != ENXIO || started - since >= write_timeout_) return ec;
    }
}

std::error_code Chip::probe() {
    const auto& info = bus_->info();
    if (info.max_write_before_read < type_.word_bytes || info.max_read == 0 || info.max_write <= type_.word_bytes)
        return fail(err(EOPNOTSUPP), "the adapter cannot send a " + std::to_string(type_.word_bytes) +
                                         "-byte word address before a read");
    // A current-address read of one byte changes nothing; a part busy with
    // a write cycle gets the write timeout to finish it.
    uint8_t b = 0;
    I2cMsg m{addr_, I2cMsg::read, {&b, 1}};
    const auto ec = while_busy(Clock::now(), [&] { return bus_->transfer({&m, 1}); });
    if (ec.value() == ENXIO) return fail(err(ENXIO), "nothing acknowledges address " + hex(addr_, 2));
    if (ec) return fail(ec, bus_->failure_detail());
    return {};
}

driver::EepromDesc Chip::desc() const {
    driver::EepromDesc d;
    d.name = std::string(type_.name) + " at " + hex(addr_, 2) + " on " + bus_->name();
    d.type = type_.name;
    d.size = type_.size;
    d.page_size = type_.page_size;
    d.max_read = std::min(bus_->info().max_read, kMaxReadPiece);
    d.addr = addr_;
    return d;
}

std::error_code Chip::read(std::size_t offset, std::span<uint8_t> data) {
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk) return err(ENODEV);
    t_detail.clear();
    std::size_t done = 0;
    while (done < data.size()) {
        const std::size_t at = offset + done;
        const std::size_t n =
            std::min({data.size() - done, bus_->info().max_read, type_.block_left(at), type_.size - at});
        uint8_t word[2];
        const uint16_t addr = type_.addr_of(addr_, at);
        I2cMsg m[2] = {{addr, 0, {word, word_address(at, word)}}, {addr, I2cMsg::read, data.subspan(done, n)}};
        if (auto ec = while_busy(Clock::now(), [&] { return bus_->transfer(m); })) {
            if (t_detail.empty()) t_detail = bus_->failure_detail();
            return ec;
        }
        done += n;
    }
    return {};
}

std::error_code Chip::write_chunk(std::size_t offset, std::span<const uint8_t> data) {
    uint8_t buf[2 + 256];
    const std::size_t wb = word_address(offset, buf);
    std::copy(data.begin(), data.end(), buf + wb);
    const uint16_t addr = type_.addr_of(addr_, offset);
    I2cMsg m{addr, 0, {buf, wb + data.size()}};
    if (auto ec = while_busy(Clock::now(), [&] { return bus_->transfer({&m, 1}); })) {
        if (ec.value() == EIO) {
            // Data refused: if the part still takes its address and a word
            // address, it is write-protected rather than absent.
            I2cMsg probe{addr, 0, {buf, wb}};
            if (!bus_->transfer({&probe, 1}))
                return fail(err(EROFS),
                            "the part at " + hex(addr, 2) + " refused the data: write-protected (WP pin high)");
        }
        if (t_detail.empty()) t_detail = bus_->failure_detail();
        return ec;
    }
    // ACK polling: the part ignores its address until the cycle is over. The
    // poll is the word address alone, which writes nothing.
    I2cMsg poll{addr, 0, {buf, wb}};
    if (auto ec = while_busy(Clock::now(), [&] { return bus_->transfer({&poll, 1}); })) {
        if (ec.value() == ENXIO)
            return fail(err(ETIMEDOUT), "the part at " + hex(addr, 2) + " did not finish its write cycle within " +
                                            std::to_string(write_timeout_.count()) + " ms (no ACK to polling)");
        return fail(ec, bus_->failure_detail());
    }
    return {};
}

std::error_code Chip::write_page(std::size_t offset, std::span<const uint8_t> data) {
    driver::AbortableMutex::Lock lk(mu_);
    if (!lk) return err(ENODEV);
    t_detail.clear();
    // A page longer than the adapter's longest write goes in several write
    // cycles.
    const std::size_t step = std::min<std::size_t>(bus_->info().max_write - type_.word_bytes, 256);
    for (std::size_t done = 0; done < data.size();) {
        const std::size_t n = std::min(step, data.size() - done);
        if (auto ec = write_chunk(offset + done, data.subspan(done, n))) return ec;
        done += n;
    }
    return {};
}

}  // namespace usbio::at24
