// SPDX-License-Identifier: Apache-2.0
// USB string descriptors (manufacturer, product, serial), read with
// asynchronous control transfers through a Transport, never with libusb's
// synchronous helpers (see libusb_api.hpp).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <system_error>

#include "usbio/usb/transport.hpp"

namespace usbio::usb::detail {

// First language the device offers (0x0409 when it lists none).
std::error_code read_langid(Transport& t, uint16_t& langid);
// String `index` in `langid` as UTF-8. Index 0 gives "" without asking.
std::error_code read_string(Transport& t, uint8_t index, uint16_t langid, std::string& out);
// A string descriptor's bytes as UTF-8; malformed input gives what could be
// decoded (never more than the descriptor holds).
std::string decode_string_descriptor(std::span<const uint8_t> desc);

}  // namespace usbio::usb::detail
