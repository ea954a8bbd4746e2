// SPDX-License-Identifier: Apache-2.0
// A 24Cxx-style serial EEPROM: two-byte (big-endian) word addresses, as the
// 24C32 and larger parts have, or one-byte ones (24C01 .. 24C16), where the
// parts above 256 bytes take the high address bits from the low bits of the
// I2C address and so answer at several addresses (attach_to()).
//
// Page writes are buffered and committed at STOP; the address counter wraps
// within the page while writing and at the end of memory while reading.
// After a committed write the chip runs its internal write cycle and does not
// acknowledge its address until it is over, which is how hosts poll for
// completion. The contents are the simulated hardware: they live as long as
// this object, across any USB unplug or reset.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/sim_state.hpp"
#include "models/i2c_bus.hpp"

namespace usbio::models {

struct Eeprom24cxxConfig {
    std::size_t size = 4096;     // bytes; a power of two up to 64 KiB
    std::size_t page_size = 32;  // bytes; a power of two dividing size
    std::chrono::microseconds write_cycle{5000};
    unsigned word_bytes = 2;  // 1 for the 24C01 .. 24C16
};

// The parts by type name (as Linux's at24 and ST name them: "24c32",
// "m24c02"), with the default write cycle; nullopt for an unknown name.
std::optional<Eeprom24cxxConfig> eeprom_24cxx_part(std::string_view name);
// "24c01, 24c02, ...": every name eeprom_24cxx_part() knows.
std::string eeprom_24cxx_parts();

class Eeprom24cxx final : public I2cTarget, public std::enable_shared_from_this<Eeprom24cxx> {
public:
    // `initial` is copied in and padded with 0xFF (erased) to the size.
    explicit Eeprom24cxx(Eeprom24cxxConfig config = {}, std::vector<uint8_t> initial = {});

    bool address(bool read) override;
    bool write_byte(uint8_t byte) override;
    uint8_t read_byte(bool master_ack) override;
    void stop() override;
    void restart() override;

    // Attaches the part to `bus` at `addr7` and, for a one-byte part above
    // 256 bytes, at the addresses above it that select its 256-byte blocks.
    void attach_to(I2cBus& bus, uint8_t addr7);
    unsigned addresses() const;

    // World access for tests -------------------------------------------------
    std::vector<uint8_t> contents() const;
    void set_contents(std::size_t offset, std::span<const uint8_t> bytes);
    std::size_t size() const { return config_.size; }
    std::size_t page_size() const { return config_.page_size; }
    // True while the internal write cycle runs (address NACKed).
    bool busy() const;
    // The WP (ST: WC) pin: while high the part acknowledges its address and
    // the word address but refuses (NACKs) data bytes, as ST's M24 parts
    // do, and writes nothing.
    void set_write_protect(bool on);

    // Saved state (common/sim_state.hpp) of the EEPROM at `addr7`:
    //   eeprom 0x50 size=4096 pointer=0x0000
    //   eeprom-row 0x50 0x0010 BYTE x16   rows all erased (0xFF) left out
    struct Saved {
        std::vector<uint8_t> mem;
        std::size_t pointer = 0;
    };
    void save_state(drivers::sim_state::Writer& out, uint8_t addr7) const;
    // Checks this EEPROM's records (sim_state::Bad) and changes nothing.
    Saved read_state(drivers::sim_state::Reader& in, uint8_t addr7) const;
    void restore(Saved saved);

private:
    class Block;
    bool address_block(unsigned block, bool read);
    bool busy_locked() const;
    void drop_transaction_locked();

    const Eeprom24cxxConfig config_;
    mutable std::mutex mu_;
    std::vector<uint8_t> mem_;
    std::size_t pointer_ = 0;          // internal address counter
    unsigned address_bytes_seen_ = 0;  // of the current write transaction
    uint8_t address_high_ = 0;
    unsigned block_ = 0;    // which of the part's addresses the transaction used
    bool writing_ = false;  // addressed for write in this transaction
    bool write_protect_ = false;
    std::vector<std::pair<std::size_t, uint8_t>> page_buffer_;
    std::chrono::steady_clock::time_point busy_until_{};
};

}  // namespace usbio::models
