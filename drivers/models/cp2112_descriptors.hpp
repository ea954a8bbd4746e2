// SPDX-License-Identifier: Apache-2.0
// USB descriptors of the CP2112: a full-speed HID device with one vendor-
// defined interface (interrupt IN 0x81, interrupt OUT 0x01, 64 bytes).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace usbio::models::cp2112 {

std::vector<uint8_t> device_descriptor(uint16_t bcd_device);
// Configuration, interface, HID class and endpoint descriptors, in order.
std::vector<uint8_t> config_descriptor();
// The HID class descriptor (type 0x21) alone, as GET_DESCRIPTOR returns it.
std::vector<uint8_t> hid_descriptor();
// Declares every report ID with its length, vendor usage page 0xFF00.
std::vector<uint8_t> hid_report_descriptor();
// String descriptor 0: the supported language IDs (0x0409).
std::vector<uint8_t> langid_descriptor();
// A string descriptor (type 0x03) from 8-bit text, UTF-16LE.
std::vector<uint8_t> string_descriptor(std::string_view text);

}  // namespace usbio::models::cp2112
