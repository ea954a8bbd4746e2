// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <vector>

#include "cp2112_host.hpp"
#include "models/cp2112_model.hpp"

namespace usbio::models {
namespace {

using namespace std::chrono_literals;
using test::Host;
using Bytes = std::vector<uint8_t>;

Cp2112Options quick_eeprom() { return {.eeprom_write_cycle = 0us}; }

TEST(Cp2112Transfer, StatusIsIdleWhenNothingHappened) {
    Cp2112Model m;
    Host h(m);
    const auto s = h.status();
    EXPECT_EQ(s.s0, 0x00);
    EXPECT_FALSE(h.in().has_value());
}

TEST(Cp2112Transfer, WrongEndpointsAreRefused) {
    Cp2112Model m;
    usb::DeviceModel& d = m;
    EXPECT_FALSE(d.out_packet(0x02, Bytes{0x15, 0x01}));
    EXPECT_FALSE(d.in_packet(0x82).has_value());
    EXPECT_TRUE(d.out_packet(0x01, Bytes{}));
}

TEST(Cp2112Transfer, ReadSensorWithWriteRead) {
    Cp2112Model m;
    Host h(m);
    h.write_read(0x48, {0x00}, 2);
    const auto s = h.wait_done();
    EXPECT_EQ(s.s0, 0x02);
    EXPECT_EQ(s.s1, 0x05);
    EXPECT_EQ(s.retries, 0);
    EXPECT_EQ(s.received, 2);
    auto r = h.force_send(2);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 64u);
    EXPECT_EQ((*r)[0], 0x13);
    EXPECT_EQ((*r)[1], 0x00);  // the final status was read out: Idle
    EXPECT_EQ((*r)[2], 2);
    EXPECT_EQ((*r)[3], 0x19);
    EXPECT_EQ((*r)[4], 0x00);
    EXPECT_FALSE(h.force_send(2).has_value());  // nothing left: no response
}

TEST(Cp2112Transfer, FinalStatusIsReadOutOnce) {
    Cp2112Model m;
    Host h(m);
    h.read(0x48, 2);
    EXPECT_EQ(h.status().s0, 0x02);
    EXPECT_EQ(h.status().s0, 0x00);
}

TEST(Cp2112Transfer, ForceSendBeforeStatusCarriesComplete) {
    Cp2112Model m;
    Host h(m);
    m.set_temperature_millicelsius(-500);
    h.read(0x48, 2);
    auto r = h.force_send(2);
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[1], 0x02);
    EXPECT_EQ((*r)[2], 2);
    EXPECT_EQ((*r)[3], 0xFF);
    EXPECT_EQ((*r)[4], 0x80);
}

TEST(Cp2112Transfer, EepromWriteThenReadBack) {
    Cp2112Model m(quick_eeprom());
    Host h(m);
    h.write(0x50, {0x01, 0x00, 0xA1, 0xA2, 0xA3});
    auto s = h.wait_done();
    EXPECT_EQ(s.s0, 0x02);
    EXPECT_EQ(s.s1, 0x05);
    EXPECT_EQ(s.received, 0);
    h.write_read(0x50, {0x01, 0x00}, 3);
    ASSERT_EQ(h.wait_done().s0, 0x02);
    EXPECT_EQ(h.fetch(3), (Bytes{0xA1, 0xA2, 0xA3}));
    EXPECT_EQ(m.eeprom_contents()[0x101], 0xA2);
}

TEST(Cp2112Transfer, LongestWriteIs61Bytes) {
    Cp2112Model m(quick_eeprom());
    Host h(m);
    Bytes data(61);
    data[0] = 0x00;
    data[1] = 0x40;
    std::iota(data.begin() + 2, data.end(), uint8_t(1));  // 59 bytes: wraps in a 32-byte page
    h.write(0x50, data);
    EXPECT_EQ(h.wait_done().s0, 0x02);
    EXPECT_EQ(m.eeprom_contents()[0x40], 33);
}

TEST(Cp2112Transfer, ForceSendChunksA512ByteRead) {
    Cp2112Model m(quick_eeprom());
    Host h(m);
    Bytes image(4096);
    std::iota(image.begin(), image.end(), uint8_t(0));
    m.eeprom()->set_contents(0, image);
    h.write_read(0x50, {0x00, 0x10}, 512);
    auto s = h.wait_done();
    ASSERT_EQ(s.s0, 0x02);
    EXPECT_EQ(s.received, 512);
    Bytes got;
    std::vector<unsigned> sizes;
    for (int i = 0; i < 20 && got.size() < 512; ++i) {
        auto r = h.force_send(512);
        ASSERT_TRUE(r);
        ASSERT_EQ((*r)[0], 0x13);
        sizes.push_back((*r)[2]);
        got.insert(got.end(), r->begin() + 3, r->begin() + 3 + (*r)[2]);
    }
    EXPECT_EQ(sizes, (std::vector<unsigned>{61, 61, 61, 61, 61, 61, 61, 61, 24}));
    EXPECT_EQ(got, Bytes(image.begin() + 0x10, image.begin() + 0x10 + 512));
}

TEST(Cp2112Transfer, ForceSendHonoursTheRequestedLength) {
    Cp2112Model m;
    Host h(m);
    h.read(0x50, 10);
    ASSERT_EQ(h.wait_done().s0, 0x02);
    auto r = h.force_send(4);
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[2], 4);
    r = h.force_send(61);
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[2], 6);
}

TEST(Cp2112Transfer, AutoSendReadQueuesResponsesByItself) {
    Cp2112Model m({.device_version = 3});  // before 3 the write-read data is wrong (cp2112_auto_send_test)
    Host h(m);
    Bytes image(4096, 0x00);
    std::iota(image.begin(), image.begin() + 200, uint8_t(0));
    m.eeprom()->set_contents(0, image);
    h.set_smbus({.auto_send_read = true});
    h.write_read(0x50, {0x00, 0x00}, 200);
    Bytes got;
    for (int i = 0; i < 4; ++i) {
        auto r = h.in();
        ASSERT_TRUE(r);
        EXPECT_EQ((*r)[0], 0x13);
        EXPECT_EQ((*r)[1], 0x02);
        EXPECT_EQ((*r)[2], i < 3 ? 61 : 17);
        got.insert(got.end(), r->begin() + 3, r->begin() + 3 + (*r)[2]);
    }
    EXPECT_FALSE(h.in().has_value());
    EXPECT_EQ(got, Bytes(image.begin(), image.begin() + 200));
    // Force Send is ignored with Auto Send Read on.
    EXPECT_FALSE(h.force_send(10).has_value());
}

TEST(Cp2112Transfer, InReadyNotifierFiresWhenAReportIsQueued) {
    Cp2112Model m;
    std::mutex mu;
    std::condition_variable cv;
    int calls = 0;
    m.set_in_ready_notifier([&] {
        std::lock_guard lock(mu);
        ++calls;
        cv.notify_all();
    });
    usb::DeviceModel& d = m;
    ASSERT_TRUE(d.out_packet(0x01, Bytes{0x15, 0x01}));
    std::unique_lock lock(mu);
    EXPECT_TRUE(cv.wait_for(lock, 5s, [&] { return calls > 0; }));
    lock.unlock();
    EXPECT_TRUE(d.in_packet(0x81).has_value());
    m.set_in_ready_notifier(nullptr);
}

TEST(Cp2112Transfer, OutputReportsOverControlWork) {
    Cp2112Model m;
    usb::DeviceModel& d = m;
    const Bytes req = {0x11, 0x48 << 1, 0x00, 0x02, 0x01, 0x00};
    EXPECT_FALSE(d.control({0x21, 0x09, 0x0211, 0, uint16_t(req.size())}, req).stall);
    Host h(m);
    EXPECT_EQ(h.wait_done().s0, 0x02);
    EXPECT_EQ(h.fetch(2), (Bytes{0x19, 0x00}));
}

TEST(Cp2112Transfer, PaddedRequestsAreAccepted) {
    Cp2112Model m;
    Host h(m);
    Bytes req(64, 0x00);
    req[0] = 0x11, req[1] = 0x48 << 1, req[3] = 2, req[4] = 1, req[5] = 0x00;
    h.out(req);
    Bytes status(64, 0x00);
    status[0] = 0x15, status[1] = 0x01;
    h.out(status);
    auto r = h.in();
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[1], 0x02);
}

TEST(Cp2112Transfer, InvalidRequestsLeaveTheChipIdle) {
    Cp2112Model m;
    Host h(m);
    const std::vector<Bytes> bad = {
        {0x10, 0x90, 0x00, 0x00},              // read length 0
        {0x10, 0x90, 0x02, 0x01},              // read length 513
        {0x10, 0x90, 0x00},                    // short
        {0x11, 0x90, 0x00, 0x02, 0x00},        // no target address
        {0x11, 0x90, 0x00, 0x02, 0x11},        // 17 target-address bytes
        {0x11, 0x90, 0x00, 0x02, 0x02, 0x00},  // claims 2, carries 1
        {0x14, 0xA0, 0x00},                    // write length 0
        {0x14, 0xA0, 62},                      // write length 62
        {0x14, 0xA0, 0x03, 0x00, 0x00},        // claims 3, carries 2
        {0x14},                                // just the ID
        {0x12, 0x00, 0x00},                    // force send of 0
        {0x15, 0x00},                          // status request without 0x01
        {0x17, 0x00},
        {0x3F, 0x01, 0x02},  // not a report of this chip
    };
    for (const auto& r : bad) {
        h.out(r);
        EXPECT_FALSE(h.in().has_value());
        EXPECT_EQ(h.status().s0, 0x00);
    }
    // Each was refused, and the log holds them in order, with the status
    // requests between them.
    EXPECT_EQ(m.rejected_requests(), bad.size());
    const auto log = m.output_reports();
    ASSERT_EQ(log.size(), 2 * bad.size());
    for (std::size_t i = 0; i < bad.size(); ++i) {
        EXPECT_EQ(log[2 * i], bad[i]);
        EXPECT_EQ(log[2 * i + 1], (Bytes{0x15, 0x01}));
    }
    // And the chip still works.
    h.read(0x48, 2);
    EXPECT_EQ(h.wait_done().s0, 0x02);
    EXPECT_EQ(m.rejected_requests(), bad.size());
}

TEST(Cp2112Transfer, InvalidRequestDropsUnreadData) {
    Cp2112Model m;
    Host h(m);
    h.read(0x48, 2);
    ASSERT_EQ(h.wait_done().s0, 0x02);
    h.out({0x10, 0x90, 0x00, 0x00});
    EXPECT_FALSE(h.force_send(2).has_value());
}

TEST(Cp2112Transfer, DeviceVersion1HasNoRepeatedStartButStillReads) {
    Cp2112Model m({.device_version = 1});
    Host h(m);
    h.write_read(0x48, {0x03}, 2);
    EXPECT_EQ(h.wait_done().s0, 0x02);
    EXPECT_EQ(h.fetch(2), (Bytes{0x50, 0x00}));
}

TEST(Cp2112Transfer, AbsentTargetWithRetryLimitEndsInAddressError) {
    Cp2112Model m;
    Host h(m);
    h.set_smbus({.retry_limit = 3});
    h.read(0x22, 1);
    const auto s = h.wait_done();
    EXPECT_EQ(s.s0, 0x03);
    EXPECT_EQ(s.s1, 0x00);
    EXPECT_EQ(s.retries, 3);
    EXPECT_FALSE(h.force_send(1).has_value());
}

TEST(Cp2112Transfer, ReportsKeepTheirOrder) {
    Cp2112Model m;
    Host h(m);
    h.read(0x48, 2);
    h.out({0x15, 0x01});
    h.out({0x12, 0x00, 0x02});
    h.out({0x15, 0x01});
    auto a = h.in(), b = h.in(), c = h.in();
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ((*a)[0], 0x16);
    EXPECT_EQ((*a)[1], 0x02);
    EXPECT_EQ((*b)[0], 0x13);
    EXPECT_EQ((*c)[0], 0x16);
    EXPECT_EQ((*c)[1], 0x00);
}

}  // namespace
}  // namespace usbio::models
