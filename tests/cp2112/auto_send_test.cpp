// SPDX-License-Identifier: Apache-2.0
// Auto Send Read: from device version 3 the driver lets the chip send a
// read's data by itself, and polls the status only when the data is late.
// Counted in output reports the chip receives (each one USB transfer; the
// input reports follow from them), against a version 2 chip that still
// needs a status poll and a force-send per 61 bytes.
#include <algorithm>

#include "chip_rig.hpp"

namespace usbio::test {
namespace {

models::Cp2112Options version(uint8_t v) {
    return {.device_version = v, .eeprom_write_cycle = std::chrono::microseconds(0)};
}

// The EEPROM's bytes at `offset`, as the model holds them.
std::vector<uint8_t> eeprom_at(const ChipRig& rig, std::size_t offset, std::size_t n) {
    const auto all = rig.model->eeprom_contents();
    return {all.begin() + std::ptrdiff_t(offset), all.begin() + std::ptrdiff_t(offset + n)};
}

void fill_eeprom(ChipRig& rig) {
    // 32-byte pages, two address bytes each.
    for (unsigned page = 0; page < 512 / 32; ++page) {
        std::vector<uint8_t> w{0, static_cast<uint8_t>(page * 32)};
        w[0] = static_cast<uint8_t>((page * 32) >> 8);
        for (unsigned i = 0; i < 32; ++i) w.push_back(static_cast<uint8_t>(page * 7 + i * 13 + 1));
        ASSERT_FALSE(rig.write(kEeprom, w));
    }
}

struct Counted {
    std::error_code ec;
    std::vector<uint8_t> sent;  // the IDs of the output reports, in order
};

template <class Op>
Counted counted(ChipRig& rig, Op op) {
    const std::size_t before = rig.model->output_reports().size();
    Counted c;
    c.ec = op();
    const auto all = rig.model->output_reports();
    for (std::size_t i = before; i < all.size(); ++i) c.sent.push_back(all[i].at(0));
    return c;
}

using Ids = std::vector<uint8_t>;

TEST(Cp2112AutoSend, OnlyFromDeviceVersion3) {
    ChipRig v2(version(2));
    ChipRig v3(version(3));
    ASSERT_TRUE(v2.chip && v3.chip);
    EXPECT_FALSE(v2.model->smbus_config().auto_send_read);
    EXPECT_TRUE(v3.model->smbus_config().auto_send_read);
}

TEST(Cp2112AutoSend, WriteReadIsTheRequestAndOneReportInsteadOfFiveTransfers) {
    for (uint8_t v : {2, 3}) {
        ChipRig rig(version(v));
        ASSERT_TRUE(rig.chip);
        fill_eeprom(rig);
        std::vector<uint8_t> got;
        const auto c = counted(rig, [&] { return rig.write_read(kEeprom, {0x00, 0x20}, 32, got); });
        ASSERT_FALSE(c.ec) << "version " << int(v) << ": " << c.ec.message();
        EXPECT_EQ(got, eeprom_at(rig, 0x20, 32)) << "version " << int(v);
        // Version 2: request, status request (its report), force-send (its
        // report). Version 3: the request (and the data report).
        EXPECT_EQ(c.sent, v == 3 ? Ids{0x11} : Ids({0x11, 0x15, 0x12})) << "version " << int(v);
    }
}

TEST(Cp2112AutoSend, LongestReadComesInNineReportsWithoutAForceSend) {
    ChipRig rig(version(3));
    ASSERT_TRUE(rig.chip);
    fill_eeprom(rig);
    std::vector<uint8_t> got;
    const auto c = counted(rig, [&] { return rig.write_read(kEeprom, {0x00, 0x00}, 512, got); });
    ASSERT_FALSE(c.ec) << c.ec.message();
    EXPECT_EQ(got, eeprom_at(rig, 0, 512));
    EXPECT_EQ(c.sent, Ids{0x11});  // and nine data reports: 512 bytes = 8 x 61 + 24
    // Plain reads too, from the address a write set.
    ASSERT_FALSE(rig.write(kEeprom, {0x00, 0x00}));
    const auto p = counted(rig, [&] { return rig.read(kEeprom, 100, got); });
    ASSERT_FALSE(p.ec) << p.ec.message();
    EXPECT_EQ(got, eeprom_at(rig, 0, 100));
    EXPECT_EQ(p.sent, Ids{0x10});
}

TEST(Cp2112AutoSend, NackSendsNoDataAndIsFoundByAStatusPoll) {
    ChipRig rig(version(3));
    ASSERT_TRUE(rig.chip);
    rig.model->set_temperature_millicelsius(kSensorMilliC);
    std::vector<uint8_t> got;
    const auto c = counted(rig, [&] { return rig.read(0x33, 2, got); });
    EXPECT_EQ(c.ec, errc(ENXIO));
    // The request and a status request: after its report nothing is owed,
    // so the next read needs no fence (a cancel and a status request).
    EXPECT_EQ(c.sent, Ids({0x10, 0x15}));
    const auto next = counted(rig, [&] { return rig.read(kSensor, 2, got); });
    ASSERT_FALSE(next.ec) << next.ec.message();
    EXPECT_EQ(got, kSensorBytes);
    EXPECT_EQ(next.sent, Ids{0x10});
}

TEST(Cp2112AutoSend, SlowTargetIsWaitedForWithStatusPolls) {
    ChipRig rig(version(3));
    ASSERT_TRUE(rig.chip);
    rig.model->set_temperature_millicelsius(kSensorMilliC);
    rig.model->set_slow(std::chrono::milliseconds(30));
    std::vector<uint8_t> got;
    const auto c = counted(rig, [&] { return rig.read(kSensor, 2, got); });
    ASSERT_FALSE(c.ec) << c.ec.message();
    EXPECT_EQ(got, kSensorBytes);
    ASSERT_GE(c.sent.size(), 2u);  // at least one status poll while it was busy
    EXPECT_EQ(c.sent[0], 0x10);
    EXPECT_EQ(c.sent[1], 0x15);
}

// The data overtakes the reply to a status poll (held back here until well
// after the data was sent): it waits for the data wait, it is not skipped.
TEST(Cp2112AutoSend, DataThatOvertakesAStatusReplyIsKept) {
    ChipRig rig(version(3));
    ASSERT_TRUE(rig.chip);
    rig.model->set_temperature_millicelsius(kSensorMilliC);
    rig.model->set_slow(std::chrono::milliseconds(20));
    rig.model->delay_next_report(0x16, std::chrono::milliseconds(60));
    std::vector<uint8_t> got;
    const auto c = counted(rig, [&] { return rig.read(kSensor, 2, got); });
    ASSERT_FALSE(c.ec) << c.ec.message();
    EXPECT_EQ(got, kSensorBytes);
    EXPECT_EQ(c.sent, Ids({0x10, 0x15}));  // the one poll, answered after the data
}

// A data report that arrives broken fails its read; whatever the chip still
// sends for it is fenced off, never taken for the next read's data.
TEST(Cp2112AutoSend, BrokenDataReportFailsThatReadOnly) {
    ChipRig rig(version(3));
    ASSERT_TRUE(rig.chip);
    fill_eeprom(rig);
    rig.model->malform_next_reports(models::Cp2112Malform::bad_length, 1);
    std::vector<uint8_t> got;
    EXPECT_EQ(rig.write_read(kEeprom, {0x00, 0x00}, 200, got), errc(EPROTO));
    for (int i = 0; i < 3; ++i) {
        ASSERT_FALSE(rig.write_read(kEeprom, {0x00, 0x40}, 200, got));
        EXPECT_EQ(got, eeprom_at(rig, 0x40, 200)) << "read " << i;
    }
}

// Closing goes as removal does (abort, then free): the transport turns Auto
// Send Read off as it lets the chip go, for the driver that comes next.
TEST(Cp2112AutoSend, ClosingTurnsAutoSendOffForTheNextDriver) {
    ChipRig rig(version(3));
    ASSERT_TRUE(rig.chip);
    ASSERT_TRUE(rig.model->smbus_config().auto_send_read);
    rig.chip->abort_io();
    rig.chip.reset();
    EXPECT_FALSE(rig.model->smbus_config().auto_send_read);
    EXPECT_EQ(rig.model->smbus_config().clock_hz, 100'000u);  // the rest as the driver left it
}

TEST(Cp2112AutoSend, AnUnpluggedChipIsNotWrittenTo) {
    ChipRig rig(version(3));
    ASSERT_TRUE(rig.chip);
    rig.transport->unplug();
    rig.chip->abort_io();
    rig.chip.reset();
    EXPECT_TRUE(rig.model->smbus_config().auto_send_read);  // as it was: nothing reached the model
}

}  // namespace
}  // namespace usbio::test
