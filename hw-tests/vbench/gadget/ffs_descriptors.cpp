// SPDX-License-Identifier: Apache-2.0
#include "ffs_descriptors.hpp"

#include <linux/usb/functionfs.h>

#include <algorithm>
#include "usbio/usb/ch9.hpp"

namespace usbio::vbench {
namespace {

using namespace usb::ch9;

constexpr uint16_t kFsMaxPacket = 64;    // bulk and interrupt limit at full speed
constexpr uint16_t kHsBulkPacket = 512;  // the only bulk size high speed allows

uint16_t le16(const uint8_t* p) { return uint16_t(p[0] | p[1] << 8); }

void put_le16(uint8_t* p, uint16_t v) {
    p[0] = uint8_t(v);
    p[1] = uint8_t(v >> 8);
}

void put_le32(std::vector<uint8_t>& d, uint32_t v) {
    for (int i = 0; i < 4; ++i) d.push_back(uint8_t(v >> (8 * i)));
}

// Interrupt polling periods: full speed counts 1 ms frames, high speed
// 2^(n-1) 125 us microframes. Keep the same period on both links.
uint8_t hs_interval_from_fs(uint8_t ms) {
    const unsigned microframes = std::max<unsigned>(ms, 1) * 8;
    uint8_t n = 1;
    while (n < 16 && (1u << n) <= microframes) ++n;
    return n;
}

uint8_t fs_interval_from_hs(uint8_t n) {
    n = std::clamp<uint8_t>(n, 1, 16);
    const unsigned ms = (1u << (n - 1)) / 8;
    return uint8_t(std::clamp<unsigned>(ms, 1, 255));
}

}  // namespace

std::optional<FfsLayout> ffs_layout(std::span<const uint8_t> config, bool native_high_speed, std::string& error) {
    if (config.size() < 9 || config[0] != 9 || config[1] != kDescConfig) {
        error = "not a configuration descriptor";
        return std::nullopt;
    }
    const std::size_t total = le16(&config[2]);
    if (total > config.size() || total < 9) {
        error = "wTotalLength " + std::to_string(total) + " does not fit the " + std::to_string(config.size()) +
                " bytes given";
        return std::nullopt;
    }
    FfsLayout layout;
    for (std::size_t at = config[0]; at < total;) {
        const uint8_t length = config[at];
        if (length < 2 || at + length > total) {
            error = "descriptor at offset " + std::to_string(at) + " overruns the set";
            return std::nullopt;
        }
        std::vector<uint8_t> fs(config.begin() + long(at), config.begin() + long(at + length));
        std::vector<uint8_t> hs = fs;
        if (config[at + 1] == kDescConfig) {
            error = "second configuration descriptor at offset " + std::to_string(at);
            return std::nullopt;
        }
        if (config[at + 1] == kDescInterface && length >= 9) {
            // iInterface: FunctionFS refuses a string index beyond the
            // strings it was given, and the gadget gives none.
            fs[8] = hs[8] = 0;
        }
        if (config[at + 1] == kDescEndpoint) {
            if (length != 7 && length != 9) {
                error = "endpoint descriptor of length " + std::to_string(length);
                return std::nullopt;
            }
            FfsEndpoint ep;
            ep.model_address = fs[2];
            ep.attributes = fs[3];
            const uint8_t type = ep.attributes & kEpTypeMask;
            if (type != kEpBulk && type != kEpInterrupt) {
                error = type == kEpIsochronous ? "isochronous endpoints are not served"
                                               : "control endpoint in a configuration";
                return std::nullopt;
            }
            const uint16_t native = le16(&fs[4]) & 0x07FF;
            if (type == kEpBulk) {
                ep.fs_max_packet = std::min(native, kFsMaxPacket);
                ep.hs_max_packet = kHsBulkPacket;
            } else {
                ep.fs_max_packet = std::min(native, kFsMaxPacket);
                ep.hs_max_packet = native;
                if (native_high_speed)
                    fs[6] = fs_interval_from_hs(fs[6]);
                else
                    hs[6] = hs_interval_from_fs(hs[6]);
            }
            put_le16(&fs[4], ep.fs_max_packet);
            put_le16(&hs[4], ep.hs_max_packet);
            layout.endpoints.push_back(ep);
        }
        layout.fs.insert(layout.fs.end(), fs.begin(), fs.end());
        layout.hs.insert(layout.hs.end(), hs.begin(), hs.end());
        ++layout.count;
        at += length;
    }
    if (layout.count == 0) {
        error = "configuration without interfaces";
        return std::nullopt;
    }
    return layout;
}

std::vector<uint8_t> ffs_descriptors_blob(const FfsLayout& layout, uint32_t extra_flags) {
    std::vector<uint8_t> d;
    put_le32(d, FUNCTIONFS_DESCRIPTORS_MAGIC_V2);
    put_le32(d, 0);  // length, patched below
    put_le32(d, FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC | extra_flags);
    put_le32(d, layout.count);
    put_le32(d, layout.count);
    d.insert(d.end(), layout.fs.begin(), layout.fs.end());
    d.insert(d.end(), layout.hs.begin(), layout.hs.end());
    const auto length = uint32_t(d.size());
    for (int i = 0; i < 4; ++i) d[4 + i] = uint8_t(length >> (8 * i));
    return d;
}

std::vector<uint8_t> ffs_strings_blob() {
    std::vector<uint8_t> d;
    put_le32(d, FUNCTIONFS_STRINGS_MAGIC);
    put_le32(d, 16);  // length of this header, all there is
    put_le32(d, 0);   // strings
    put_le32(d, 0);   // languages
    return d;
}

}  // namespace usbio::vbench
