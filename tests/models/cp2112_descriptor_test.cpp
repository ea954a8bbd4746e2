// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cp2112_host.hpp"
#include "models/cp2112_model.hpp"

namespace usbio::models {
namespace {

usb::ControlReply get_descriptor(usb::DeviceModel& d, uint8_t type, uint8_t index, uint16_t length = 255,
                                 uint8_t request_type = 0x80, uint16_t windex = 0) {
    return d.control({request_type, 0x06, uint16_t(type << 8 | index), windex, length}, {});
}

std::string utf16_to_ascii(const std::vector<uint8_t>& desc) {
    std::string s;
    for (std::size_t i = 2; i + 1 < desc.size(); i += 2) s.push_back(char(desc[i]));
    return s;
}

TEST(Cp2112Descriptors, Identity) {
    Cp2112Model m({.serial = "ABC123"});
    const auto id = m.identity();
    EXPECT_EQ(id.vid, 0x10C4);
    EXPECT_EQ(id.pid, 0xEA90);
    EXPECT_EQ(id.manufacturer, "Silicon Laboratories");
    EXPECT_EQ(id.product, "CP2112 HID USB-to-SMBus Bridge");
    EXPECT_EQ(id.serial, "ABC123");
    ASSERT_EQ(id.interfaces.size(), 1u);
    EXPECT_EQ(id.interfaces[0].number, 0);
    EXPECT_EQ(id.interfaces[0].klass, 3);
    ASSERT_EQ(id.interfaces[0].endpoints.size(), 2u);
    EXPECT_EQ(id.interfaces[0].endpoints[0].address, 0x81);
    EXPECT_EQ(id.interfaces[0].endpoints[0].type, usb::TransferType::interrupt);
    EXPECT_EQ(id.interfaces[0].endpoints[0].max_packet, 64);
    EXPECT_EQ(id.interfaces[0].endpoints[1].address, 0x01);
    EXPECT_EQ(id.interfaces[0].endpoints[1].type, usb::TransferType::interrupt);
}

TEST(Cp2112Descriptors, DeviceDescriptor) {
    Cp2112Model m;
    usb::DeviceModel& d = m;
    auto r = get_descriptor(d, 0x01, 0);
    ASSERT_FALSE(r.stall);
    EXPECT_EQ(r.data, m.device_descriptor());
    const std::vector<uint8_t> expected = {18,   1,    0x10, 0x01, 0,    0, 0, 64, 0xC4,
                                           0x10, 0x90, 0xEA, 0x00, 0x00, 1, 2, 3,  1};
    EXPECT_EQ(r.data, expected);
    // The host's wLength truncates.
    EXPECT_EQ(get_descriptor(d, 0x01, 0, 8).data.size(), 8u);
}

TEST(Cp2112Descriptors, ConfigurationDescriptorSet) {
    Cp2112Model m;
    usb::DeviceModel& d = m;
    auto c = get_descriptor(d, 0x02, 0).data;
    ASSERT_EQ(c, m.config_descriptor());
    ASSERT_EQ(c.size(), 9u + 9 + 9 + 7 + 7);
    EXPECT_EQ(c[1], 0x02);
    EXPECT_EQ(c[2] | c[3] << 8, int(c.size()));
    EXPECT_EQ(c[4], 1);     // interfaces
    EXPECT_EQ(c[7], 0x80);  // bus powered
    EXPECT_EQ(c[8], 50);    // 100 mA
    // Interface: number 0, 2 endpoints, HID class.
    EXPECT_EQ(c[9 + 1], 0x04);
    EXPECT_EQ(c[9 + 2], 0);
    EXPECT_EQ(c[9 + 4], 2);
    EXPECT_EQ(c[9 + 5], 0x03);
    // HID class descriptor points at the report descriptor with its length.
    const auto report = get_descriptor(d, 0x22, 0, 1024, 0x81).data;
    EXPECT_EQ(c[18 + 1], 0x21);
    EXPECT_EQ(c[18 + 6], 0x22);
    EXPECT_EQ(c[18 + 7] | c[18 + 8] << 8, int(report.size()));
    const std::vector<uint8_t> hid(c.begin() + 18, c.begin() + 27);
    EXPECT_EQ(get_descriptor(d, 0x21, 0, 255, 0x81).data, hid);
    // Endpoints: interrupt IN 0x81 and OUT 0x01, 64 bytes, 1 ms.
    const std::vector<uint8_t> ep_in = {7, 5, 0x81, 0x03, 64, 0, 1};
    const std::vector<uint8_t> ep_out = {7, 5, 0x01, 0x03, 64, 0, 1};
    EXPECT_EQ(std::vector<uint8_t>(c.begin() + 27, c.begin() + 34), ep_in);
    EXPECT_EQ(std::vector<uint8_t>(c.begin() + 34, c.end()), ep_out);
}

TEST(Cp2112Descriptors, StringDescriptors) {
    Cp2112Model m({.serial = "00417D26"});
    usb::DeviceModel& d = m;
    EXPECT_EQ(get_descriptor(d, 0x03, 0).data, (std::vector<uint8_t>{4, 3, 0x09, 0x04}));
    auto s = get_descriptor(d, 0x03, 1).data;
    EXPECT_EQ(s[0], s.size());
    EXPECT_EQ(s[1], 3);
    EXPECT_EQ(utf16_to_ascii(s), "Silicon Laboratories");
    EXPECT_EQ(utf16_to_ascii(get_descriptor(d, 0x03, 2).data), "CP2112 HID USB-to-SMBus Bridge");
    EXPECT_EQ(utf16_to_ascii(get_descriptor(d, 0x03, 3).data), "00417D26");
    EXPECT_TRUE(get_descriptor(d, 0x03, 4).stall);
}

// Walks the report descriptor as a HID parser does and returns, per
// (main item, report ID), the payload size in bytes.
std::map<std::pair<uint8_t, uint8_t>, unsigned> parse_reports(const std::vector<uint8_t>& d) {
    std::map<std::pair<uint8_t, uint8_t>, unsigned> bits;
    unsigned report_size = 0, report_count = 0, depth = 0;
    uint8_t report_id = 0;
    bool usage_page = false;
    for (std::size_t i = 0; i < d.size();) {
        const uint8_t prefix = d[i];
        EXPECT_NE(prefix, 0xFE) << "long items are not expected";
        const unsigned size = (prefix & 3) == 3 ? 4 : (prefix & 3);
        EXPECT_LE(i + 1 + size, d.size()) << "item runs past the end";
        unsigned value = 0;
        for (unsigned k = 0; k < size && i + 1 + k < d.size(); ++k) value |= unsigned(d[i + 1 + k]) << (8 * k);
        switch (prefix & 0xFC) {
        case 0x04:
            usage_page = true;
            EXPECT_EQ(value, 0xFF00u);
            break;
        case 0x74: report_size = value; break;
        case 0x94: report_count = value; break;
        case 0x84:
            report_id = uint8_t(value);
            EXPECT_NE(report_id, 0);
            break;
        case 0xA0: ++depth; break;
        case 0xC0:
            EXPECT_GT(depth, 0u);
            --depth;
            break;
        case 0x80:
        case 0x90:
        case 0xB0:
            EXPECT_TRUE(usage_page);
            EXPECT_GT(depth, 0u);
            EXPECT_NE(report_id, 0);
            bits[{uint8_t(prefix & 0xFC), report_id}] += report_size * report_count;
            break;
        default: break;
        }
        i += 1 + size;
    }
    EXPECT_EQ(depth, 0u);
    std::map<std::pair<uint8_t, uint8_t>, unsigned> bytes;
    for (auto [key, b] : bits) {
        EXPECT_EQ(b % 8, 0u);
        bytes[key] = b / 8;
    }
    return bytes;
}

TEST(Cp2112Descriptors, ReportDescriptorDeclaresEveryReport) {
    Cp2112Model m;
    auto r = get_descriptor(m, 0x22, 0, 1024, 0x81);
    ASSERT_FALSE(r.stall);
    const auto reports = parse_reports(r.data);
    constexpr uint8_t kInput = 0x80, kOutput = 0x90, kFeature = 0xB0;
    // Total lengths from AN495, ID byte included.
    const std::map<std::pair<uint8_t, uint8_t>, unsigned> expected = {
        {{kFeature, 0x01}, 2},  {{kFeature, 0x02}, 5},  {{kFeature, 0x03}, 2},  {{kFeature, 0x04}, 3},
        {{kFeature, 0x05}, 3},  {{kFeature, 0x06}, 14}, {{kFeature, 0x20}, 2},  {{kFeature, 0x21}, 10},
        {{kFeature, 0x22}, 63}, {{kFeature, 0x23}, 63}, {{kFeature, 0x24}, 63}, {{kOutput, 0x10}, 4},
        {{kOutput, 0x11}, 21},  {{kOutput, 0x12}, 3},   {{kOutput, 0x14}, 64},  {{kOutput, 0x15}, 2},
        {{kOutput, 0x17}, 2},   {{kInput, 0x13}, 64},   {{kInput, 0x16}, 7},
    };
    ASSERT_EQ(reports.size(), expected.size());
    for (auto [key, total] : expected) {
        auto it = reports.find(key);
        ASSERT_NE(it, reports.end()) << "report 0x" << std::hex << int(key.second) << " missing";
        EXPECT_EQ(it->second + 1, total) << "report 0x" << std::hex << int(key.second);
    }
}

TEST(Cp2112Descriptors, StandardRequests) {
    Cp2112Model m;
    usb::DeviceModel& d = m;
    EXPECT_EQ(d.control({0x80, 0x08, 0, 0, 1}, {}).data, (std::vector<uint8_t>{0}));
    EXPECT_FALSE(d.control({0x00, 0x09, 1, 0, 0}, {}).stall);
    EXPECT_EQ(d.control({0x80, 0x08, 0, 0, 1}, {}).data, (std::vector<uint8_t>{1}));
    EXPECT_TRUE(d.control({0x00, 0x09, 2, 0, 0}, {}).stall);
    EXPECT_EQ(d.control({0x80, 0x00, 0, 0, 2}, {}).data, (std::vector<uint8_t>{0, 0}));
    EXPECT_EQ(d.control({0x82, 0x00, 0, 0x81, 2}, {}).data, (std::vector<uint8_t>{0, 0}));
    EXPECT_FALSE(d.control({0x01, 0x0B, 0, 0, 0}, {}).stall);  // SET_INTERFACE alt 0
    EXPECT_TRUE(d.control({0x01, 0x0B, 1, 0, 0}, {}).stall);
    EXPECT_FALSE(d.control({0x02, 0x01, 0, 0x81, 0}, {}).stall);  // CLEAR_FEATURE halt
    EXPECT_TRUE(get_descriptor(d, 0x06, 0).stall);                // no device qualifier: full speed
    EXPECT_TRUE(d.control({0x40, 0x01, 0, 0, 0}, {}).stall);      // vendor request
    EXPECT_TRUE(d.control({0x80, 0x33, 0, 0, 0}, {}).stall);      // unknown
    // A bus reset leaves the device unconfigured.
    d.reset();
    EXPECT_EQ(d.control({0x80, 0x08, 0, 0, 1}, {}).data, (std::vector<uint8_t>{0}));
}

TEST(Cp2112Descriptors, HidClassRequests) {
    Cp2112Model m;
    usb::DeviceModel& d = m;
    EXPECT_FALSE(d.control({0x21, 0x0A, 0, 0, 0}, {}).stall);  // SET_IDLE
    EXPECT_TRUE(d.control({0x21, 0x0A, 0, 1, 0}, {}).stall);   // no interface 1
    EXPECT_TRUE(d.control({0x21, 0x0B, 0, 0, 0}, {}).stall);   // SET_PROTOCOL: no boot device
    // Input reports over EP0: an Idle snapshot that disturbs nothing.
    auto r = d.control({0xA1, 0x01, 0x0116, 0, 64}, {});
    ASSERT_FALSE(r.stall);
    EXPECT_EQ(r.data, (std::vector<uint8_t>{0x16, 0, 0, 0, 0, 0, 0}));
    r = d.control({0xA1, 0x01, 0x0113, 0, 64}, {});
    ASSERT_FALSE(r.stall);
    EXPECT_EQ(r.data.size(), 64u);
    EXPECT_EQ(r.data[0], 0x13);
    EXPECT_TRUE(d.control({0xA1, 0x01, 0x0110, 0, 64}, {}).stall);
}

}  // namespace
}  // namespace usbio::models
