// SPDX-License-Identifier: Apache-2.0
// Bulk IN framing: two modem-status bytes at every packet boundary.
#include <gtest/gtest.h>

#include <vector>

#include "ftdi/mpsse.hpp"

namespace usbio::ftdi {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes packet(std::size_t data, uint8_t first) {
    Bytes p{0x32, 0x60};
    for (std::size_t i = 0; i < data; ++i) p.push_back(static_cast<uint8_t>(first + i));
    return p;
}

TEST(BulkIn, StatusBytesAreStrippedAtEveryPacketBoundary) {
    Bytes t = packet(510, 0);
    const Bytes second = packet(3, 0x10);
    t.insert(t.end(), second.begin(), second.end());
    Bytes out;
    ASSERT_FALSE(strip_status(t, 512, out));
    ASSERT_EQ(out.size(), 513u);
    EXPECT_EQ(out[0], 0);
    EXPECT_EQ(out[509], static_cast<uint8_t>(509));
    EXPECT_EQ(out[510], 0x10);  // not the second packet's status bytes
    EXPECT_EQ(out[512], 0x12);
}

TEST(BulkIn, FullSpeedPacketsAreSixtyFourBytes) {
    Bytes t = packet(62, 0);
    const Bytes second = packet(1, 0xEE);
    t.insert(t.end(), second.begin(), second.end());
    Bytes out;
    ASSERT_FALSE(strip_status(t, 64, out));
    ASSERT_EQ(out.size(), 63u);
    EXPECT_EQ(out.back(), 0xEE);
}

TEST(BulkIn, StatusOnlyPacketMeansNoDataYet) {
    Bytes out{0x01};
    ASSERT_FALSE(strip_status(Bytes{0x32, 0x60}, 512, out));
    EXPECT_EQ(out, Bytes{0x01});  // appended nothing
    ASSERT_FALSE(strip_status(Bytes{}, 512, out));
    EXPECT_EQ(out.size(), 1u);
}

TEST(BulkIn, PacketShorterThanItsStatusIsAProtocolError) {
    Bytes out;
    EXPECT_EQ(strip_status(Bytes{0x32}, 512, out), std::errc::protocol_error);
    Bytes t = packet(62, 0);
    t.push_back(0x32);  // a one-byte second packet
    EXPECT_EQ(strip_status(t, 64, out), std::errc::protocol_error);
}

TEST(BulkIn, BadCommandEchoIsFoundOnlyInASurplus) {
    EXPECT_EQ(bad_command_in(Bytes{0xFA, 0xAA}, 0), 0xAA);
    EXPECT_EQ(bad_command_in(Bytes{0x00, 0xFA, 0x9E}, 1), 0x9E);
    // 0xFA as data, with exactly the bytes expected: data, not an echo.
    EXPECT_EQ(bad_command_in(Bytes{0xFA, 0x12}, 2), -1);
    EXPECT_EQ(bad_command_in(Bytes{0x01, 0x02, 0x03}, 2), -1);
}

}  // namespace
}  // namespace usbio::ftdi
