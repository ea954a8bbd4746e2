// SPDX-License-Identifier: Apache-2.0
// Serial EEPROMs on an adapter's I2C bus (usbio/clients.hpp binds them).
//
// Reads are cut into bus transfers the adapter can carry and writes are
// split at page boundaries, each page written and its write cycle awaited
// by ACK polling (bounded). Core calls the progress callback between those
// pieces with no lock held, so it may do anything the API allows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "usbio/error.hpp"
#include "usbio/export.hpp"

namespace usbio {

namespace detail {
class EepromCore;
struct Access;
}  // namespace detail

struct EepromInfo {
    std::string name;           // "24c32 on cp2112 [serial SIM0001] i2c 0x50": how messages name it
    std::string type;           // "24c32"
    std::size_t size = 0;       // bytes
    std::size_t page_size = 0;  // bytes written in one write cycle
    uint16_t addr = 0;          // 7-bit address (the first, for parts using several)
};

// Bytes done so far and in all: called with 0 before the first piece,
// between pieces, and once at the end. Returning false stops the call
// (except at the end, when nothing is left to stop), which then fails with
// ECANCELED and reports what was done.
using EepromProgress = std::function<bool(std::size_t done, std::size_t total)>;

// How far a read or write got. On failure `done` still counts the bytes
// that were read, or written and committed (whole pages), before it.
struct [[nodiscard]] EepromIo {
    std::size_t done = 0;
    Result<void> status;
    bool ok() const noexcept { return status.ok(); }
    explicit operator bool() const noexcept { return ok(); }
};

class USBIO_EXPORT Eeprom {
public:
    Eeprom() = default;  // an empty handle: every call fails with ENODEV

    EepromInfo info() const;

    // EINVAL when offset + size passes the end of the memory; ENODEV when
    // the adapter (or this client) is removed, with the count done; the
    // adapter's errors otherwise, the message naming address and offset.
    EepromIo read(std::size_t offset, std::span<uint8_t> data, const EepromProgress& progress = {});
    EepromIo write(std::size_t offset, std::span<const uint8_t> data, const EepromProgress& progress = {});

    explicit operator bool() const noexcept { return core_ != nullptr; }

private:
    friend struct detail::Access;
    explicit Eeprom(std::shared_ptr<detail::EepromCore> core) : core_(std::move(core)) {}
    std::shared_ptr<detail::EepromCore> core_;
};

}  // namespace usbio
