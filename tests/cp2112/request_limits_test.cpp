// SPDX-License-Identifier: Apache-2.0
// Every output report the driver sends stays within AN495's limits, and
// within the driver's own rule for force-sends: at most one report's worth
// (61 bytes) and no more than the read still owes. The model records what
// it received and counts what the chip would refuse.
#include <algorithm>
#include <sstream>

#include "chip_rig.hpp"

namespace usbio::test {
namespace {

using Bytes = std::vector<uint8_t>;

std::string hex(const Bytes& r) {
    std::ostringstream o;
    o << std::hex;
    for (std::size_t i = 0; i < std::min<std::size_t>(r.size(), 8); ++i) o << int(r[i]) << ' ';
    return o.str();
}

uint16_t be16(const Bytes& r, std::size_t at) { return static_cast<uint16_t>(r[at] << 8 | r[at + 1]); }

// Checks the reports against AN495 (protocols.md A.2, A.4); returns what
// breaks a limit, one line each.
std::vector<std::string> violations(const std::vector<Bytes>& reports) {
    std::vector<std::string> bad;
    auto fail = [&](const Bytes& r, const char* why) { bad.push_back(std::string(why) + ": " + hex(r)); };
    std::size_t read_owed = 0;  // bytes the current read has not fetched yet
    for (const Bytes& r : reports) {
        if (r.empty() || r.size() > 64) {
            fail(r, "report length outside 1..64");
            continue;
        }
        switch (r[0]) {
        case 0x10:
            if (r.size() < 4 || be16(r, 2) < 1 || be16(r, 2) > 512)
                fail(r, "read length outside 1..512");
            else
                read_owed = be16(r, 2);
            break;
        case 0x11:
            if (r.size() < 5 || be16(r, 2) < 1 || be16(r, 2) > 512)
                fail(r, "read length outside 1..512");
            else if (r[4] < 1 || r[4] > 16)
                fail(r, "target address length outside 1..16");
            else if (r.size() < 5u + r[4])
                fail(r, "target address cut short");
            else
                read_owed = be16(r, 2);
            break;
        case 0x12: {
            const uint16_t n = r.size() >= 3 ? be16(r, 1) : 0;
            if (n < 1 || n > 512)
                fail(r, "force-send length outside 1..512");
            else if (n > 61)
                fail(r, "force-send asks for more than one report carries");
            else if (n > read_owed)
                fail(r, "force-send asks for more than the read owes");
            else
                read_owed -= n;  // the model answers each in full here
            break;
        }
        case 0x14:
            if (r.size() < 3 || r[2] < 1 || r[2] > 61)
                fail(r, "write length outside 1..61");
            else if (r.size() < 3u + r[2])
                fail(r, "write data cut short");
            break;
        case 0x15:
        case 0x17:
            if (r.size() != 2 || r[1] != 0x01) fail(r, "status request / cancel is not [id, 0x01]");
            break;
        default: fail(r, "not an output report of the CP2112");
        }
    }
    return bad;
}

TEST(Cp2112Requests, EveryRequestTheDriverSendsIsWithinTheChipsLimits) {
    ChipRig rig;
    ASSERT_TRUE(rig.chip);
    Bytes pattern(512);
    for (std::size_t i = 0; i < pattern.size(); ++i) pattern[i] = static_cast<uint8_t>(i * 7 + 1);
    rig.model->eeprom()->set_contents(0, pattern);

    Bytes got;
    for (std::size_t n : {1u, 2u, 60u, 61u, 62u, 122u, 123u, 511u, 512u}) {
        ASSERT_FALSE(rig.write_read(kEeprom, {0x00, 0x00}, n, got)) << n;
        EXPECT_TRUE(std::equal(got.begin(), got.end(), pattern.begin())) << n;
        ASSERT_FALSE(rig.read(kEeprom, n, got)) << n;
    }
    for (std::size_t n : {1u, 2u, 16u, 61u}) {
        Bytes w(n, 0x00);  // address 0x0000 and then data
        ASSERT_FALSE(rig.write(kEeprom, w)) << n;
    }
    Bytes addr(16, 0x00);  // the longest write before a read
    EXPECT_FALSE(rig.write_read(kEeprom, addr, 4, got));
    ASSERT_FALSE(rig.chip->set_bitrate(400'000));
    ASSERT_FALSE(rig.read(kSensor, 2, got));
    // Failing transfers send status polls and cancels too.
    rig.model->set_slow(std::chrono::hours(1));
    EXPECT_EQ(rig.read(kSensor, 2, got), errc(ETIMEDOUT));
    rig.model->set_slow(std::chrono::microseconds(0));
    EXPECT_EQ(rig.read(0x23, 2, got), errc(ENXIO));

    const auto sent = rig.model->output_reports();
    ASSERT_FALSE(sent.empty());
    for (const auto& v : violations(sent)) ADD_FAILURE() << v;
    EXPECT_EQ(rig.model->rejected_requests(), 0u);
}

TEST(Cp2112Requests, MessagesBeyondTheLimitsAreRefusedWithoutSendingAnything) {
    ChipRig rig;
    ASSERT_TRUE(rig.chip);
    const std::size_t before = rig.model->output_reports().size();
    Bytes got;
    EXPECT_EQ(rig.read(kEeprom, 513, got), errc(EINVAL));
    EXPECT_EQ(rig.write(kEeprom, Bytes(62, 0)), errc(EINVAL));
    EXPECT_EQ(rig.write_read(kEeprom, Bytes(17, 0), 1, got), errc(EINVAL));
    EXPECT_EQ(rig.write_read(kEeprom, {0x00}, 513, got), errc(EINVAL));
    EXPECT_EQ(rig.read(0x80, 1, got), errc(EINVAL));
    EXPECT_EQ(rig.model->output_reports().size(), before);
}

// The checker itself: each limit it guards is one it notices.
TEST(Cp2112Requests, TheCheckerNoticesEachBrokenLimit) {
    const std::vector<Bytes> broken = {
        {0x10, 0xA0, 0x00, 0x00},        // read of 0 bytes
        {0x10, 0xA0, 0x02, 0x01},        // read of 513 bytes
        {0x11, 0xA0, 0x00, 0x02, 0x11},  // 17 target address bytes
        {0x10, 0xA0, 0x00, 0x40},
        {0x12, 0x00, 0x3E},  // a 62-byte force-send
        {0x10, 0xA0, 0x00, 0x02},
        {0x12, 0x00, 0x03},  // more than the read owes
        {0x14, 0xA0, 0x3E},  // 62-byte write
        {0x15, 0x00},        // status request without 0x01
        {0x18, 0x01},        // no such report
    };
    EXPECT_EQ(violations(broken).size(), 8u);
    EXPECT_TRUE(violations({{0x10, 0xA0, 0x00, 0x3D}, {0x12, 0x00, 0x3D}, {0x15, 0x01}, {0x17, 0x01}}).empty());
}

}  // namespace
}  // namespace usbio::test
