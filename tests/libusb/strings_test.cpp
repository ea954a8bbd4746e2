// SPDX-License-Identifier: Apache-2.0
// String descriptors from devices: decoded, or cut short when malformed,
// never read past what arrived.
#include <gtest/gtest.h>

#include "libusb_strings.hpp"

namespace usbio::usb::detail {
namespace {

std::string decode(std::vector<uint8_t> d) { return decode_string_descriptor(d); }

TEST(StringDescriptor, DecodesUtf16) {
    EXPECT_EQ(decode({10, 3, 'C', 0, 'P', 0, '2', 0, '1', 0}), "CP21");
    EXPECT_EQ(decode({6, 3, 0xE9, 0x00, 0xAC, 0x20}), "\xC3\xA9\xE2\x82\xAC");  // e-acute, euro sign
    EXPECT_EQ(decode({6, 3, 0x3D, 0xD8, 0x00, 0xDE}), "\xF0\x9F\x98\x80");      // a surrogate pair
}

TEST(StringDescriptor, MalformedInputIsCutShort) {
    EXPECT_EQ(decode({}), "");
    EXPECT_EQ(decode({2}), "");
    EXPECT_EQ(decode({4, 2, 'A', 0}), "");                  // not a string descriptor
    EXPECT_EQ(decode({200, 3, 'A', 0, 'B', 0}), "AB");      // claims more than arrived
    EXPECT_EQ(decode({5, 3, 'A', 0, 'B'}), "A");            // odd length
    EXPECT_EQ(decode({8, 3, 'A', 0, 0, 0, 'B', 0}), "A");   // NUL padding ends it
    EXPECT_EQ(decode({4, 3, 0x00, 0xD8}), "\xEF\xBF\xBD");  // lone surrogate
}

}  // namespace
}  // namespace usbio::usb::detail
