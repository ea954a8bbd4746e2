// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "cp2112_host.hpp"
#include "models/cp2112_model.hpp"

namespace usbio::models {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::Host;
using Bytes = std::vector<uint8_t>;

// Polls the status until `pred` holds or the limit passes; returns the last.
template <typename Pred>
test::Status poll_until(Host& h, Pred pred, std::chrono::milliseconds limit = 5s) {
    const auto deadline = Clock::now() + limit;
    test::Status s = h.status();
    while (!pred(s) && Clock::now() < deadline) s = h.status();
    return s;
}

TEST(Cp2112Faults, NackWithUnlimitedRetriesStaysBusyUntilCancelled) {
    Cp2112Model m;
    Host h(m);
    m.set_nack(0x48, true);
    h.read(0x48, 2);
    auto s = h.status();
    EXPECT_EQ(s.s0, 0x01);
    EXPECT_EQ(s.s1, 0x01);
    // The chip keeps retrying: the count grows while it stays Busy.
    const uint16_t first = s.retries;
    s = poll_until(h, [&](const test::Status& x) { return x.s0 != 0x01 || x.retries > first + 2; });
    EXPECT_EQ(s.s0, 0x01);
    EXPECT_EQ(s.s1, 0x01);
    EXPECT_GT(s.retries, first + 2);
    // A new request is ignored while busy.
    h.read(0x50, 1);
    EXPECT_EQ(h.status().s1, 0x01);
    h.out({0x17, 0x01});
    EXPECT_EQ(h.status().s0, 0x00);
    EXPECT_FALSE(h.force_send(2).has_value());
}

TEST(Cp2112Faults, NackClearedWhileRetryingCompletes) {
    Cp2112Model m;
    Host h(m);
    m.set_nack(0x48, true);
    h.read(0x48, 2);
    auto s = poll_until(h, [](const test::Status& x) { return x.retries >= 2; });
    ASSERT_EQ(s.s0, 0x01);
    m.set_nack(0x48, false);
    s = h.wait_done();
    EXPECT_EQ(s.s0, 0x02);
    EXPECT_EQ(s.s1, 0x05);
    EXPECT_GE(s.retries, 2);
    EXPECT_EQ(h.fetch(2), (Bytes{0x19, 0x00}));
}

TEST(Cp2112Faults, NackWithRetryLimitEndsInError) {
    Cp2112Model m;
    Host h(m);
    h.set_smbus({.retry_limit = 5});
    m.set_nack(0x50, true);
    h.write(0x50, {0x00, 0x00, 0x01});
    const auto s = h.wait_done();
    EXPECT_EQ(s.s0, 0x03);
    EXPECT_EQ(s.s1, 0x00);
    EXPECT_EQ(s.retries, 5);
    EXPECT_EQ(m.eeprom_contents()[0], 0xFF);
}

TEST(Cp2112Faults, NackWithWriteTimeoutEndsInErrorAfterTheTimeout) {
    Cp2112Model m;
    Host h(m);
    h.set_smbus({.write_timeout_ms = 30});
    m.set_nack(0x50, true);
    const auto start = Clock::now();
    h.write(0x50, {0x00, 0x00, 0x01});
    const auto s = h.wait_done();
    EXPECT_GE(Clock::now() - start, 30ms);
    EXPECT_EQ(s.s0, 0x03);
    EXPECT_EQ(s.s1, 0x00);
    EXPECT_GT(s.retries, 0);
}

TEST(Cp2112Faults, NackWithReadTimeoutEndsInError) {
    Cp2112Model m;
    Host h(m);
    h.set_smbus({.read_timeout_ms = 20});
    m.set_nack(0x48, true);
    h.write_read(0x48, {0x00}, 2);
    const auto s = h.wait_done();
    EXPECT_EQ(s.s0, 0x03);
    EXPECT_EQ(s.s1, 0x00);
}

TEST(Cp2112Faults, StuckBusWithoutTimeoutsStaysBusy) {
    Cp2112Model m;
    Host h(m);
    m.set_bus_stuck(true);
    const auto start = Clock::now();
    h.read(0x48, 2);
    // Past the 25 ms an SCL-low timeout would need, still busy.
    auto s = h.status();
    while (Clock::now() - start < 40ms && s.s0 == 0x01) s = h.status();
    EXPECT_EQ(s.s0, 0x01);
    EXPECT_EQ(s.retries, 0);
    // Once the bus is released the transfer goes through.
    m.set_bus_stuck(false);
    s = h.wait_done();
    EXPECT_EQ(s.s0, 0x02);
    EXPECT_EQ(h.fetch(2), (Bytes{0x19, 0x00}));
}

TEST(Cp2112Faults, StuckBusWithSclLowTimeoutEndsInBusNotFree) {
    Cp2112Model m;
    Host h(m);
    h.set_smbus({.scl_low_timeout = true});
    m.set_bus_stuck(true);
    const auto start = Clock::now();
    h.read(0x48, 2);
    const auto s = h.wait_done();
    EXPECT_GE(Clock::now() - start, 25ms);
    EXPECT_EQ(s.s0, 0x03);
    EXPECT_EQ(s.s1, 0x01);
}

TEST(Cp2112Faults, StuckBusWithWriteTimeoutEndsInBusNotFree) {
    Cp2112Model m;
    Host h(m);
    h.set_smbus({.write_timeout_ms = 10});
    m.set_bus_stuck(true);
    h.write(0x50, {0x00, 0x00, 0x01});
    const auto s = h.wait_done();
    EXPECT_EQ(s.s0, 0x03);
    EXPECT_EQ(s.s1, 0x01);
}

TEST(Cp2112Faults, DataNackIsWriteIncomplete) {
    // A target that takes its address and one byte, then refuses.
    struct Picky : I2cTarget {
        bool address(bool) override { return true; }
        bool write_byte(uint8_t) override { return ++n <= 1; }
        uint8_t read_byte(bool) override { return 0; }
        void stop() override { n = 0; }
        int n = 0;
    };
    Cp2112Model m;
    m.bus()->attach(0x30, std::make_shared<Picky>());
    Host h(m);
    h.write(0x30, {1, 2, 3});
    auto s = h.wait_done();
    EXPECT_EQ(s.s0, 0x03);
    EXPECT_EQ(s.s1, 0x04);
    h.write_read(0x30, {1, 2}, 1);
    s = h.wait_done();
    EXPECT_EQ(s.s0, 0x03);
    EXPECT_EQ(s.s1, 0x04);
}

TEST(Cp2112Faults, SlowTargetIsBusyForTheSlowTime) {
    constexpr auto kSlow = 150ms;
    Cp2112Model m;
    Host h(m);
    m.set_slow(kSlow);
    const auto start = Clock::now();
    h.write_read(0x48, {0x00}, 2);
    auto s = h.status();
    if (Clock::now() - start < kSlow) {
        EXPECT_EQ(s.s0, 0x01);
        EXPECT_EQ(s.s1, 0x02);  // read in progress
    }
    // Force send mid-transfer: nothing received yet.
    auto r = h.force_send(2);
    if (Clock::now() - start < kSlow) {
        ASSERT_TRUE(r);
        EXPECT_EQ((*r)[1], 0x01);
        EXPECT_EQ((*r)[2], 0);
    }
    s = h.wait_done();
    EXPECT_GE(Clock::now() - start, kSlow);
    EXPECT_EQ(s.s0, 0x02);
    EXPECT_EQ(h.fetch(2), (Bytes{0x19, 0x00}));
}

TEST(Cp2112Faults, SlowWriteReportsWriteInProgressThenCancel) {
    constexpr auto kSlow = 10s;
    Cp2112Model m;
    Host h(m);
    m.set_slow(kSlow);
    h.write(0x48, {0x01, 0x00});
    const auto s = h.status();
    EXPECT_EQ(s.s0, 0x01);
    EXPECT_EQ(s.s1, 0x03);
    h.out({0x17, 0x01});
    EXPECT_EQ(h.status().s0, 0x00);
}

TEST(Cp2112Faults, SlowAutoSendReadDeliversWhenDone) {
    constexpr auto kSlow = 50ms;
    Cp2112Model m({.device_version = 3});  // auto-sent write-read data is right only from version 3
    std::mutex mu;
    std::condition_variable cv;
    bool ready = false;
    m.set_in_ready_notifier([&] {
        std::lock_guard lock(mu);
        ready = true;
        cv.notify_all();
    });
    Host h(m);
    h.set_smbus({.auto_send_read = true});
    m.set_slow(kSlow);
    const auto start = Clock::now();
    h.write_read(0x48, {0x00}, 2);
    // Nobody asks: the model must announce the data by itself.
    {
        std::unique_lock lock(mu);
        ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return ready; }));
    }
    auto r = h.in();
    ASSERT_TRUE(r);
    EXPECT_GE(Clock::now() - start, kSlow);
    EXPECT_EQ((*r)[0], 0x13);
    EXPECT_EQ((*r)[2], 2);
    EXPECT_EQ((*r)[3], 0x19);
    m.set_in_ready_notifier(nullptr);
}

TEST(Cp2112Faults, MalformedReports) {
    Cp2112Model m;
    Host h(m);
    m.malform_next_reports(Cp2112Malform::short_report);
    m.malform_next_reports(Cp2112Malform::bad_status);
    m.malform_next_reports(Cp2112Malform::wrong_report_id);
    m.malform_next_reports(Cp2112Malform::bad_length, 2);
    h.read(0x48, 2);
    h.out({0x15, 0x01});
    auto r = h.in();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->size(), 3u);
    EXPECT_EQ((*r)[0], 0x16);
    h.out({0x15, 0x01});
    r = h.in();
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[0], 0x16);
    EXPECT_EQ((*r)[1], 0x07);
    h.out({0x12, 0x00, 0x01});
    r = h.in();
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[0], 0x3F);
    h.out({0x12, 0x00, 0x01});
    r = h.in();
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[0], 0x13);
    EXPECT_GT((*r)[2], 61);
    h.out({0x15, 0x01});
    r = h.in();
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)[0], 0x16);
    EXPECT_GT(((*r)[5] << 8 | (*r)[6]), 512);
    // Then good reports again.
    h.out({0x15, 0x01});
    r = h.in();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->size(), 64u);
    EXPECT_EQ((*r)[0], 0x16);
    EXPECT_EQ((*r)[1], 0x00);
}

TEST(Cp2112Faults, BusResetForgetsTransientStateOnly) {
    Cp2112Model m({.eeprom_write_cycle = 0us});
    Host h(m);
    h.write(0x50, {0x00, 0x05, 0xAB});
    ASSERT_EQ(h.wait_done().s0, 0x02);
    m.set_slow(10s);
    h.read(0x48, 2);
    h.out({0x15, 0x01});
    usb::DeviceModel& d = m;
    d.reset();
    EXPECT_FALSE(h.in().has_value());
    EXPECT_EQ(h.status().s0, 0x00);
    EXPECT_EQ(m.eeprom_contents()[5], 0xAB);
}

TEST(Cp2112Faults, HooksFromAnotherThread) {
    Cp2112Model m;
    Host h(m);
    m.set_temperature_millicelsius(20000);
    std::atomic<bool> stop{false};
    std::thread poker([&] {
        bool on = false;
        while (!stop) {
            m.set_nack(0x48, on = !on);
            m.set_input_level(2, on);
            m.set_temperature_millicelsius(on ? 30000 : 20000);
            (void)m.pin_level(2);
            (void)m.eeprom_contents();
        }
        m.set_nack(0x48, false);
    });
    for (int i = 0; i < 200; ++i) {
        h.write_read(0x48, {0x00}, 2);
        const auto s = h.wait_done();
        if (s.s0 == 0x02) {
            const auto t = h.fetch(2);
            EXPECT_TRUE(t == (Bytes{0x1E, 0x00}) || t == (Bytes{0x14, 0x00}));
        } else {
            EXPECT_EQ(s.s0, 0x01);  // still retrying when the poll budget ran out
            h.out({0x17, 0x01});
        }
        (void)h.get_feature(0x03, 2);
    }
    stop = true;
    poker.join();
}

}  // namespace
}  // namespace usbio::models
