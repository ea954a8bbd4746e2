// SPDX-License-Identifier: Apache-2.0
// Chips on an adapter's I2C bus: EEPROMs and GPIO expanders, bound by type
// name at an address, as Linux's i2c new_device does.
//
// A bound client is a Device of its own (DeviceInfo::parent names the
// adapter): an EEPROM gives Device::eeprom(), an expander a gpio chip usable
// everywhere an adapter's is. It sits on the adapter: when the adapter goes
// away its clients are removed first (their calls end with ENODEV, their
// handles stay valid, their removed events come first), then the adapter.
// Device::remove() on a client unbinds it alone. A client's calls hold the
// adapter only for one bus transfer at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "usbio/context.hpp"
#include "usbio/device.hpp"
#include "usbio/error.hpp"
#include "usbio/export.hpp"

namespace usbio {

struct ClientType {
    std::string name;         // "24c32", "pca9555"
    std::string driver;       // "at24", "pca953x", "pcf857x"
    std::string description;  // "32 Kbit EEPROM, 32-byte pages"
};

// Every type bind_client() takes.
USBIO_EXPORT std::vector<ClientType> client_types();

// Binds a client driver of `type` to 7-bit `addr` on bus `bus` of
// `adapter`. The driver checks that the chip answers there. EINVAL for an
// unknown type (the message lists the types) or address; ENXIO when nothing
// answers; EBUSY when a client is already bound at that address; ENODEV when
// the adapter is gone.
USBIO_EXPORT Result<Device> bind_client(Context& ctx, const Device& adapter, std::string_view type, uint16_t addr,
                                        std::size_t bus = 0);

}  // namespace usbio
