// SPDX-License-Identifier: Apache-2.0
// One bound serial EEPROM: reads and page writes on the client bus, with
// write-cycle completion found by ACK polling (bounded, no fixed sleep).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "at24/types.hpp"
#include "usbio/driver/abortable_mutex.hpp"
#include "usbio/driver/client.hpp"

namespace usbio::at24 {

// Longest a write cycle may take before the part is called dead: the
// datasheets give 5 ms (10 ms for old parts); Linux's at24 allows 25 ms.
inline constexpr std::chrono::milliseconds kWriteTimeout{25};
// Longest read core asks for in one piece: keeps progress and cancel
// responsive on adapters that could read the whole memory at once.
inline constexpr std::size_t kMaxReadPiece = 512;

class Chip final : public driver::Provider, public driver::EepromOps {
public:
    Chip(const At24Type& type, std::unique_ptr<driver::ClientBus> bus,
         std::chrono::milliseconds write_timeout = kWriteTimeout);

    // ENXIO naming the address when nothing answers; EOPNOTSUPP when the
    // adapter cannot send the word address before a read.
    std::error_code probe();
    driver::EepromDesc desc() const;

    void abort_io() noexcept override;
    std::error_code read(std::size_t offset, std::span<uint8_t> data) override;
    // EROFS when the part acknowledges its address but refuses the data:
    // its write-protect pin (WP / WC) is high.
    std::error_code write_page(std::size_t offset, std::span<const uint8_t> data) override;
    std::string failure_detail() override;

private:
    // Runs one transfer, again while the part NACKs its address (busy in a
    // write cycle) until the write timeout has passed since `since`; ENXIO then.
    // Any other outcome (ENODEV on abort) ends it at once.
    template <class Transfer>
    std::error_code while_busy(std::chrono::steady_clock::time_point since, Transfer&& transfer);
    std::size_t word_address(std::size_t offset, uint8_t* out) const;
    std::error_code write_chunk(std::size_t offset, std::span<const uint8_t> data);
    std::error_code fail(std::error_code ec, std::string detail);

    const At24Type type_;
    const std::unique_ptr<driver::ClientBus> bus_;
    const uint16_t addr_;
    const std::chrono::milliseconds write_timeout_;
    driver::AbortableMutex mu_;  // one exchange with the part at a time
};

}  // namespace usbio::at24
