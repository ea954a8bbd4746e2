// SPDX-License-Identifier: Apache-2.0
// What a client driver (a chip on an adapter's I2C bus: an EEPROM, a GPIO
// expander) uses and implements.
//
// A client driver never sees the adapter or its handles: core gives it a
// ClientBus for its address, and it publishes its provider into a
// DeviceSlot with a DeviceBuilder as a USB driver does (add_gpio_chip for an
// expander, add_eeprom for an EEPROM); core makes the device a consumer of
// the adapter, so it is removed first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include "usbio/driver/provider.hpp"
#include "usbio/i2c.hpp"

namespace usbio::driver {

// The adapter's bus as one client sees it. Each transfer() is one bus
// transfer on the adapter, holding the adapter only while it runs. After the
// adapter or the client is removed (or abort() is called) it fails with
// ENODEV at once and never touches the adapter again.
class ClientBus {
public:
    virtual ~ClientBus() = default;
    virtual const I2cBusInfo& info() const = 0;
    virtual uint16_t address() const = 0;
    // "cp2112 [SIM0001] i2c 0x50": how messages name the client.
    virtual const std::string& name() const = 0;
    // Messages may address `address()` and, for parts answering at several
    // addresses (24C04..24C16), the addresses above it the part covers.
    virtual std::error_code transfer(std::span<I2cMsg> msgs) = 0;
    // The adapter's words for this thread's last failed transfer(), if any.
    virtual std::string failure_detail() = 0;
    // Makes transfer() fail with ENODEV from now on (the provider's abort_io).
    virtual void abort() noexcept = 0;
};

// Core's ClientBus on an adapter's bus for the part at `addr`, answering at
// `count` addresses from it (24C16: 8). EBUSY when a client already holds
// one of them (it does until its provider is freed); ENODEV when the adapter
// is gone. `name` is how messages name the client ("i2c 0x50 on ...").
Result<std::unique_ptr<ClientBus>> open_client_bus(const I2cBus& bus, uint16_t addr, unsigned count, std::string name);

struct EepromDesc {
    std::string name;  // "24c32 at 0x50 on cp2112 [SIM0001]"
    std::string type;  // "24c32"
    std::size_t size = 0;
    std::size_t page_size = 0;
    std::size_t max_read = 0;  // longest read() core may ask for
    uint16_t addr = 0;
};

// Core cuts reads to max_read and writes at page boundaries and calls these
// once per piece, calling the user's progress callback between them.
class EepromOps {
public:
    virtual ~EepromOps() = default;
    virtual std::error_code read(std::size_t offset, std::span<uint8_t> data) = 0;
    // Writes data (inside one page) and waits, by ACK polling with a bound,
    // until the part has committed it.
    virtual std::error_code write_page(std::size_t offset, std::span<const uint8_t> data) = 0;
    virtual std::string failure_detail() { return {}; }
};

}  // namespace usbio::driver
