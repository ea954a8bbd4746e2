// SPDX-License-Identifier: Apache-2.0
#include "models/cp2112_descriptors.hpp"

#include <algorithm>

#include "models/cp2112_protocol.hpp"
#include "usbio/usb/ch9.hpp"

namespace usbio::models::cp2112 {
namespace {

using namespace usb::ch9;

constexpr uint8_t lo(uint16_t v) { return uint8_t(v); }
constexpr uint8_t hi(uint16_t v) { return uint8_t(v >> 8); }

struct ReportDecl {
    uint8_t id;
    uint8_t payload;  // bytes after the ID
};

// Lengths as in AN495 (see cp2112_protocol.hpp), minus the ID byte.
constexpr ReportDecl kFeatures[] = {
    {kReset, 1},          {kGpioConfig, 4},    {kGpioGet, 1},
    {kGpioSet, 2},        {kVersion, 2},       {kSmbusConfig, 13},
    {kLockByte, 1},       {kUsbConfig, 9},     {kManufacturerString, 62},
    {kProductString, 62}, {kSerialString, 62},
};
constexpr ReportDecl kOutputs[] = {
    {kReadRequest, 3}, {kWriteReadRequest, 20}, {kForceSend, 2}, {kWriteRequest, 63}, {kStatusRequest, 1}, {kCancel, 1},
};
constexpr ReportDecl kInputs[] = {
    {kReadResponse, 63},
    {kStatusResponse, 6},
};

void declare(std::vector<uint8_t>& d, const ReportDecl& r, uint8_t main_item) {
    d.insert(d.end(), {0x85, r.id,         // Report ID
                       0x95, r.payload,    // Report Count
                       0x09, 0x01,         // Usage (vendor 1)
                       main_item, 0x02});  // Data, Variable, Absolute
}

}  // namespace

std::vector<uint8_t> device_descriptor(uint16_t bcd_device) {
    return {18,       kDescDevice, lo(0x0110), hi(0x0110),  // USB 1.1, full speed, as the chip reports
            0x00,     0x00,        0x00,                    // class in the interface
            64,                                             // EP0 max packet
            lo(kVid), hi(kVid),    lo(kPid),   hi(kPid),   lo(bcd_device), hi(bcd_device),
            1,        2,           3,  // manufacturer, product, serial strings
            1};
}

std::vector<uint8_t> hid_report_descriptor() {
    std::vector<uint8_t> d = {
        0x06, 0x00, 0xFF,  // Usage Page (vendor 0xFF00)
        0x09, 0x01,        // Usage (1)
        0xA1, 0x01,        // Collection (Application)
        0x15, 0x00,        //   Logical Minimum (0)
        0x26, 0xFF, 0x00,  //   Logical Maximum (255)
        0x75, 0x08,        //   Report Size (8)
    };
    for (const auto& r : kFeatures) declare(d, r, 0xB1);
    for (const auto& r : kOutputs) declare(d, r, 0x91);
    for (const auto& r : kInputs) declare(d, r, 0x81);
    d.push_back(0xC0);  // End Collection
    return d;
}

std::vector<uint8_t> hid_descriptor() {
    const auto length = uint16_t(hid_report_descriptor().size());
    return {9,    kDescHid,       lo(0x0101), hi(0x0101),  // HID 1.01
            0x00,                                          // not localised
            1,    kDescHidReport, lo(length), hi(length)};
}

std::vector<uint8_t> config_descriptor() {
    std::vector<uint8_t> d = {
        9,    kDescConfig,
        0,    0,  // total length patched below
        1,    1,
        0,         // one interface, configuration 1, no string
        0x80, 50,  // bus powered, 100 mA
        9,    kDescInterface,
        0,    0,
        2,    0x03,
        0x00, 0x00,
        0,  // HID, no boot protocol
    };
    const auto hid = hid_descriptor();
    d.insert(d.end(), hid.begin(), hid.end());
    d.insert(d.end(), {7, kDescEndpoint, kEpIn, 0x03, lo(kPacketSize), hi(kPacketSize), 1});
    d.insert(d.end(), {7, kDescEndpoint, kEpOut, 0x03, lo(kPacketSize), hi(kPacketSize), 1});
    d[2] = lo(uint16_t(d.size()));
    d[3] = hi(uint16_t(d.size()));
    return d;
}

std::vector<uint8_t> langid_descriptor() { return {4, kDescString, 0x09, 0x04}; }

std::vector<uint8_t> string_descriptor(std::string_view text) {
    const std::size_t n = std::min<std::size_t>(text.size(), 126);
    std::vector<uint8_t> d = {uint8_t(2 + 2 * n), kDescString};
    for (std::size_t i = 0; i < n; ++i) d.insert(d.end(), {uint8_t(text[i]), 0x00});
    return d;
}

}  // namespace usbio::models::cp2112
