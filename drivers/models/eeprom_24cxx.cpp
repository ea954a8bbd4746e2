// SPDX-License-Identifier: Apache-2.0
#include "models/eeprom_24cxx.hpp"

#include <algorithm>
#include <stdexcept>

namespace usbio::models {
namespace {

bool power_of_two(std::size_t n) { return n != 0 && (n & (n - 1)) == 0; }

}  // namespace

Eeprom24cxx::Eeprom24cxx(Eeprom24cxxConfig config, std::vector<uint8_t> initial)
    : config_(config), mem_(std::move(initial)) {
    if (!power_of_two(config_.size) || config_.size > 65536 || !power_of_two(config_.page_size) ||
        config_.page_size > config_.size)
        throw std::invalid_argument("Eeprom24cxx: size and page size must be powers of two");
    mem_.resize(config_.size, 0xFF);
}

bool Eeprom24cxx::busy_locked() const { return std::chrono::steady_clock::now() < busy_until_; }

bool Eeprom24cxx::busy() const {
    std::lock_guard lock(mu_);
    return busy_locked();
}

void Eeprom24cxx::drop_transaction_locked() {
    writing_ = false;
    address_bytes_seen_ = 0;
    page_buffer_.clear();
}

bool Eeprom24cxx::address(bool read) {
    std::lock_guard lock(mu_);
    drop_transaction_locked();
    if (busy_locked()) return false;
    writing_ = !read;
    return true;
}

bool Eeprom24cxx::write_byte(uint8_t byte) {
    std::lock_guard lock(mu_);
    if (!writing_) return false;
    if (address_bytes_seen_ == 0) {
        address_high_ = byte;
        ++address_bytes_seen_;
        return true;
    }
    if (address_bytes_seen_ == 1) {
        pointer_ = ((std::size_t(address_high_) << 8) | byte) & (config_.size - 1);
        ++address_bytes_seen_;
        return true;
    }
    // The chip latches into its page buffer; the counter's low bits roll over
    // so a write past the page end lands at the page start.
    page_buffer_.emplace_back(pointer_, byte);
    const std::size_t page = pointer_ & ~(config_.page_size - 1);
    pointer_ = page | ((pointer_ + 1) & (config_.page_size - 1));
    return true;
}

uint8_t Eeprom24cxx::read_byte(bool /*master_ack*/) {
    std::lock_guard lock(mu_);
    const uint8_t b = mem_[pointer_];
    pointer_ = (pointer_ + 1) & (config_.size - 1);
    return b;
}

void Eeprom24cxx::stop() {
    std::lock_guard lock(mu_);
    if (writing_ && !page_buffer_.empty()) {
        for (auto [addr, byte] : page_buffer_) mem_[addr] = byte;
        busy_until_ = std::chrono::steady_clock::now() + config_.write_cycle;
    }
    drop_transaction_locked();
}

void Eeprom24cxx::restart() {
    // A repeated START instead of STOP aborts a page write: nothing commits.
    std::lock_guard lock(mu_);
    drop_transaction_locked();
}

std::vector<uint8_t> Eeprom24cxx::contents() const {
    std::lock_guard lock(mu_);
    return mem_;
}

void Eeprom24cxx::set_contents(std::size_t offset, std::span<const uint8_t> bytes) {
    std::lock_guard lock(mu_);
    if (offset > mem_.size() || bytes.size() > mem_.size() - offset)
        throw std::out_of_range("Eeprom24cxx::set_contents beyond the end of memory");
    std::copy(bytes.begin(), bytes.end(), mem_.begin() + std::ptrdiff_t(offset));
}

}  // namespace usbio::models
