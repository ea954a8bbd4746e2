// SPDX-License-Identifier: Apache-2.0
#include "models/eeprom_24cxx.hpp"

#include <algorithm>
#include <stdexcept>

namespace usbio::models {
namespace {

bool power_of_two(std::size_t n) { return n != 0 && (n & (n - 1)) == 0; }

struct Part {
    std::string_view name;
    std::size_t size;
    std::size_t page_size;
    unsigned word_bytes;
};

// As the datasheets give them (Atmel AT24Cxx; ST M24xxx, whose 1 and 2 Kbit
// parts have 16-byte pages).
constexpr Part kParts[] = {
    {"24c01", 128, 8, 1},     {"24c02", 256, 8, 1},      {"24c04", 512, 16, 1},    {"24c08", 1024, 16, 1},
    {"24c16", 2048, 16, 1},   {"24c32", 4096, 32, 2},    {"24c64", 8192, 32, 2},   {"24c128", 16384, 64, 2},
    {"24c256", 32768, 64, 2}, {"24c512", 65536, 128, 2}, {"m24c01", 128, 16, 1},   {"m24c02", 256, 16, 1},
    {"m24c04", 512, 16, 1},   {"m24c08", 1024, 16, 1},   {"m24c16", 2048, 16, 1},  {"m24c32", 4096, 32, 2},
    {"m24c64", 8192, 32, 2},  {"m24128", 16384, 64, 2},  {"m24256", 32768, 64, 2}, {"m24512", 65536, 128, 2},
};

}  // namespace

std::optional<Eeprom24cxxConfig> eeprom_24cxx_part(std::string_view name) {
    for (const auto& p : kParts) {
        if (p.name != name) continue;
        Eeprom24cxxConfig c;
        c.size = p.size;
        c.page_size = p.page_size;
        c.word_bytes = p.word_bytes;
        return c;
    }
    return std::nullopt;
}

std::string eeprom_24cxx_parts() {
    std::string s;
    for (const auto& p : kParts) s += (s.empty() ? "" : ", ") + std::string(p.name);
    return s;
}

Eeprom24cxx::Eeprom24cxx(Eeprom24cxxConfig config, std::vector<uint8_t> initial)
    : config_(config), mem_(std::move(initial)) {
    if (!power_of_two(config_.size) || config_.size > 65536 || !power_of_two(config_.page_size) ||
        config_.page_size > config_.size)
        throw std::invalid_argument("Eeprom24cxx: size and page size must be powers of two");
    if (config_.word_bytes != 1 && config_.word_bytes != 2)
        throw std::invalid_argument("Eeprom24cxx: word addresses are 1 or 2 bytes");
    if (config_.word_bytes == 1 && config_.size > 2048)
        throw std::invalid_argument("Eeprom24cxx: one-byte word addresses reach 2 KiB at most (24C16)");
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

// One of the extra addresses of a multi-address part: the part itself,
// seen through the block its address selects.
class Eeprom24cxx::Block final : public I2cTarget {
public:
    Block(std::shared_ptr<Eeprom24cxx> part, unsigned block) : part_(std::move(part)), block_(block) {}
    bool address(bool read) override { return part_->address_block(block_, read); }
    bool write_byte(uint8_t byte) override { return part_->write_byte(byte); }
    uint8_t read_byte(bool master_ack) override { return part_->read_byte(master_ack); }
    void stop() override { part_->stop(); }
    void restart() override { part_->restart(); }

private:
    const std::shared_ptr<Eeprom24cxx> part_;
    const unsigned block_;
};

unsigned Eeprom24cxx::addresses() const {
    return config_.word_bytes == 1 && config_.size > 256 ? unsigned(config_.size / 256) : 1;
}

void Eeprom24cxx::attach_to(I2cBus& bus, uint8_t addr7) {
    bus.attach(addr7, shared_from_this());
    for (unsigned b = 1; b < addresses(); ++b)
        bus.attach(uint8_t(addr7 + b), std::make_shared<Block>(shared_from_this(), b));
}

bool Eeprom24cxx::address(bool read) { return address_block(0, read); }

bool Eeprom24cxx::address_block(unsigned block, bool read) {
    std::lock_guard lock(mu_);
    drop_transaction_locked();
    if (busy_locked()) return false;
    writing_ = !read;
    block_ = block;
    return true;
}

void Eeprom24cxx::set_write_protect(bool on) {
    std::lock_guard lock(mu_);
    write_protect_ = on;
}

bool Eeprom24cxx::write_byte(uint8_t byte) {
    std::lock_guard lock(mu_);
    if (!writing_) return false;
    if (config_.word_bytes == 1 && address_bytes_seen_ == 0) {
        pointer_ = ((std::size_t(block_) << 8) | byte) & (config_.size - 1);
        address_bytes_seen_ = 2;
        return true;
    }
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
    if (write_protect_) return false;
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
