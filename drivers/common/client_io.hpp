// SPDX-License-Identifier: Apache-2.0
// Register-style exchanges of client drivers (chips on an adapter's bus)
// over a driver::ClientBus, each one bus transfer where the adapter allows.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <system_error>

#include "usbio/driver/client.hpp"
#include "usbio/error.hpp"

namespace usbio::drivers {

std::error_code client_read(driver::ClientBus& bus, std::span<uint8_t> data);
std::error_code client_write(driver::ClientBus& bus, std::span<const uint8_t> data);
// Writes `command` and reads `data`: one transfer with a repeated START,
// or a write and a read on an adapter without one (the chip keeps its
// register pointer across the STOP; callers keep other users of the chip
// out between the two).
std::error_code client_command_read(driver::ClientBus& bus, uint8_t command, std::span<uint8_t> data);
// "pca9555 on cp2112 [SIM0001] i2c 0x20: reading the registers: <why>", the
// adapter's words for the failure when it has them.
Error client_error(driver::ClientBus& bus, std::string_view chip, std::string_view what, std::error_code ec);

}  // namespace usbio::drivers
