// SPDX-License-Identifier: Apache-2.0
// Core side of a serial EEPROM: range checks, and the read and write loops
// that cut a request into the driver's pieces, each one guarded call, with
// the user's progress callback run between them outside any guard.
#pragma once

#include "device_core.hpp"
#include "usbio/driver/client.hpp"
#include "usbio/eeprom.hpp"

namespace usbio::detail {

class EepromCore {
public:
    EepromCore(DeviceCore& dev, driver::EepromDesc desc, std::size_t index)
        : dev(dev), desc(std::move(desc)), index(index) {}

    DeviceCore& dev;
    const driver::EepromDesc desc;
    const std::size_t index;  // of this EEPROM's ops in the device's DriverOps

    EepromIo read(std::size_t offset, std::span<uint8_t> data, const EepromProgress& progress);
    EepromIo write(std::size_t offset, std::span<const uint8_t> data, const EepromProgress& progress);

private:
    // One piece: a guarded call of fn(EepromOps&), the message naming the
    // EEPROM, `verb` and the byte range.
    template <class Fn>
    Result<void> piece(const char* verb, std::size_t offset, std::size_t length, Fn&& fn);
    Result<void> check_range(const char* verb, std::size_t offset, std::size_t length) const;
};

}  // namespace usbio::detail
