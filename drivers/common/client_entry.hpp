// SPDX-License-Identifier: Apache-2.0
// What a client driver folder (a chip on an adapter's I2C bus) exports: the
// types it binds, by name as Linux's i2c new_device takes them, and its
// probe. The client table (drivers/table) lists the entries; bind_client()
// and `usbio --client` read it and nothing chip-specific.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "usbio/driver/client.hpp"
#include "usbio/driver/provider.hpp"

namespace usbio::drivers {

struct ClientTypeDesc {
    const char* name = "";         // "24c32"
    const char* description = "";  // "32 Kbit EEPROM, 32-byte pages"
    // 7-bit addresses the part answers at, from an address that is a
    // multiple of this (a 24c16: 8, 0x50-0x57); bind_client() reserves them.
    unsigned addresses = 1;
};

// Checks that the chip answers on `bus` (ENXIO naming the address when it
// does not) and publishes its device into `slot`; `info` is filled in
// already (id, parent, display name) but for what the driver adds.
using ClientProbeFn = Result<Device> (*)(driver::DeviceSlot& slot, DeviceInfo info, std::string_view type,
                                         std::unique_ptr<driver::ClientBus> bus);

struct ClientEntry {
    const char* name = "";  // "at24", "pca953x"
    std::vector<ClientTypeDesc> types;
    ClientProbeFn probe = nullptr;
};

}  // namespace usbio::drivers
