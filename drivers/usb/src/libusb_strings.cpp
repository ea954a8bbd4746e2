// SPDX-License-Identifier: Apache-2.0
#include "libusb_strings.hpp"

#include <vector>
#include "usbio/usb/ch9.hpp"

namespace usbio::usb::detail {

namespace {

using namespace ch9;

constexpr uint16_t kMaxDescriptor = 255;
constexpr std::chrono::milliseconds kTimeout{500};

ControlSetup string_request(uint8_t index, uint16_t langid) {
    return ControlSetup{kStandardDeviceIn, kGetDescriptor, static_cast<uint16_t>((kDescString << 8) | index), langid,
                        kMaxDescriptor};
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace

std::string decode_string_descriptor(std::span<const uint8_t> desc) {
    std::string out;
    if (desc.size() < 2 || desc[1] != kDescString) return out;
    const std::size_t end = std::min<std::size_t>(desc[0], desc.size());
    for (std::size_t i = 2; i + 1 < end; i += 2) {
        uint32_t cp = desc[i] | (desc[i + 1] << 8);
        if (cp >= 0xD800 && cp < 0xDC00 && i + 3 < end) {
            const uint32_t lo = desc[i + 2] | (desc[i + 3] << 8);
            if (lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xD800 && cp < 0xE000) {
            cp = 0xFFFD;  // a lone surrogate
        }
        if (cp == 0) break;  // some devices pad with NULs
        append_utf8(out, cp);
    }
    return out;
}

std::error_code read_langid(Transport& t, uint16_t& langid) {
    langid = kLangEnglishUs;
    std::vector<uint8_t> d;
    if (auto ec = t.control_in(string_request(0, 0), d, kTimeout)) return ec;
    if (d.size() >= 4 && d[1] == kDescString && d[0] >= 4) langid = static_cast<uint16_t>(d[2] | (d[3] << 8));
    return {};
}

std::error_code read_string(Transport& t, uint8_t index, uint16_t langid, std::string& out) {
    out.clear();
    if (index == 0) return {};
    std::vector<uint8_t> d;
    if (auto ec = t.control_in(string_request(index, langid), d, kTimeout)) return ec;
    out = decode_string_descriptor(d);
    return {};
}

}  // namespace usbio::usb::detail
