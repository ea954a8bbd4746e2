// SPDX-License-Identifier: Apache-2.0
// FunctionFS wants a function's interface, class and endpoint descriptors
// once per speed, without the configuration descriptor in front. A device
// model gives one configuration descriptor at its own speed; this derives the
// full-speed and high-speed sets from it, so any model (HID interrupt or
// vendor bulk) can be served without descriptor tables of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace usbio::vbench {

struct FfsEndpoint {
    uint8_t model_address = 0;  // as the model's descriptors name it
    uint8_t attributes = 0;     // bmAttributes; transfer type in bits 1..0
    uint16_t fs_max_packet = 0;
    uint16_t hs_max_packet = 0;
    bool in() const { return (model_address & 0x80) != 0; }
};

struct FfsLayout {
    std::vector<uint8_t> fs;  // descriptors for a full-speed link
    std::vector<uint8_t> hs;  // the same for a high-speed link
    uint32_t count = 0;       // descriptors in each set
    // In descriptor order: FunctionFS names their files ep1, ep2, ...
    std::vector<FfsEndpoint> endpoints;
};

// `config` is the model's whole configuration descriptor set; the model's
// own speed comes from its device descriptor's bcdUSB. nullopt, with `error`
// set, for malformed input or endpoint types this bench cannot serve.
std::optional<FfsLayout> ffs_layout(std::span<const uint8_t> config, bool native_high_speed, std::string& error);

// The blob written to ep0 first (descriptors, v2 format) and second (an
// empty string table: the models' interfaces have no strings of their own).
std::vector<uint8_t> ffs_descriptors_blob(const FfsLayout& layout, uint32_t extra_flags);
std::vector<uint8_t> ffs_strings_blob();

}  // namespace usbio::vbench
