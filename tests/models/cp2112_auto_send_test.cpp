// SPDX-License-Identifier: Apache-2.0
// Auto Send Read by device version: before version 3 an auto-sent
// write-read reply starts with the address bytes written (erratum
// CP2112_E101); plain reads, force-send reads and version 3 are right.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "cp2112_host.hpp"
#include "models/cp2112_model.hpp"

namespace usbio::models {
namespace {

using namespace std::chrono_literals;
using test::Host;
using Bytes = std::vector<uint8_t>;

constexpr uint8_t kEeprom = Cp2112Model::kEepromAddress;
constexpr uint16_t kAt = 0x0100;
const Bytes kAddress = {uint8_t(kAt >> 8), uint8_t(kAt)};

// A model whose EEPROM holds 0xA0, 0xA1, ... from kAt on (none of them an
// address byte), with Auto Send Read as asked.
struct Chip {
    Chip(uint8_t version, bool auto_send) : m({.device_version = version, .eeprom_write_cycle = 0us}), h(m) {
        Bytes image(200);
        for (std::size_t i = 0; i < image.size(); ++i) image[i] = uint8_t(0xA0 + i);
        m.eeprom()->set_contents(kAt, image);
        h.set_smbus({.auto_send_read = auto_send});
    }
    Bytes stored(std::size_t n) const {
        const Bytes all = m.eeprom_contents();
        return {all.begin() + kAt, all.begin() + kAt + std::ptrdiff_t(n)};
    }
    Cp2112Model m;
    Host h;
};

// The Data Read Responses the chip sent by itself: the byte counts of each
// and the data of all.
struct AutoSent {
    std::vector<uint8_t> counts;
    Bytes data;
};
AutoSent take_auto_sent(Host& h) {
    AutoSent out;
    while (auto r = h.in()) {
        EXPECT_EQ((*r)[0], 0x13);
        EXPECT_EQ((*r)[1], 0x02);  // Complete
        const uint8_t n = (*r)[2];
        out.counts.push_back(n);
        out.data.insert(out.data.end(), r->begin() + 3, r->begin() + 3 + n);
    }
    return out;
}

TEST(Cp2112AutoSend, BeforeVersion3AWriteReadStartsWithTheAddressBytes) {
    for (uint8_t version : {1, 2}) {
        Chip c(version, true);
        c.h.write_read(kEeprom, kAddress, 100);
        const AutoSent got = take_auto_sent(c.h);
        Bytes want = c.stored(100);
        want[0] = kAddress[0];
        want[1] = kAddress[1];
        EXPECT_EQ(got.data, want) << "version " << int(version);
        EXPECT_EQ(got.counts, (std::vector<uint8_t>{61, 39})) << "version " << int(version);
    }
}

TEST(Cp2112AutoSend, BeforeVersion3AReadShorterThanTheAddressIsAllAddress) {
    Chip c(2, true);
    c.h.write_read(kEeprom, kAddress, 1);
    EXPECT_EQ(take_auto_sent(c.h).data, Bytes{kAddress[0]});
    // The status still counts the bytes the target gave.
    EXPECT_EQ(c.h.status().received, 1);
}

TEST(Cp2112AutoSend, Version3SendsTheRightDataInTheSameReports) {
    Chip v2(2, true), v3(3, true);
    v2.h.write_read(kEeprom, kAddress, 100);
    v3.h.write_read(kEeprom, kAddress, 100);
    const AutoSent wrong = take_auto_sent(v2.h);
    const AutoSent right = take_auto_sent(v3.h);
    EXPECT_EQ(right.data, v3.stored(100));
    EXPECT_EQ(right.counts, wrong.counts);
}

TEST(Cp2112AutoSend, ForceSendReadsAreRightOnEveryVersion) {
    for (uint8_t version : {1, 2, 3}) {
        Chip c(version, false);
        c.h.write_read(kEeprom, kAddress, 100);
        ASSERT_EQ(c.h.wait_done().s0, 0x02) << "version " << int(version);
        EXPECT_EQ(c.h.fetch(100), c.stored(100)) << "version " << int(version);
    }
}

TEST(Cp2112AutoSend, APlainReadIsRightBeforeVersion3) {
    Chip c(2, true);
    c.h.write(kEeprom, kAddress);  // sets the EEPROM's address pointer
    ASSERT_EQ(c.h.wait_done().s0, 0x02);
    c.h.read(kEeprom, 100);
    EXPECT_EQ(take_auto_sent(c.h).data, c.stored(100));
}

}  // namespace
}  // namespace usbio::models
