// SPDX-License-Identifier: Apache-2.0
// Hooks for hostile-device tests: late reports that are overtaken, a silent
// chip, unsolicited reports and short data chunks.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include "cp2112_host.hpp"
#include "models/cp2112_model.hpp"

namespace usbio::models {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::Host;
using Bytes = std::vector<uint8_t>;

// Waits (bounded) until the model announces an IN report.
struct InReady {
    std::mutex mu;
    std::condition_variable cv;
    int count = 0;
    explicit InReady(Cp2112Model& m) : model(m) {
        m.set_in_ready_notifier([this] {
            std::lock_guard lock(mu);
            ++count;
            cv.notify_all();
        });
    }
    ~InReady() { model.set_in_ready_notifier(nullptr); }
    bool wait_beyond(int seen, std::chrono::milliseconds limit) {
        std::unique_lock lock(mu);
        return cv.wait_for(lock, limit, [&] { return count > seen; });
    }
    int seen() {
        std::lock_guard lock(mu);
        return count;
    }
    Cp2112Model& model;
};

TEST(Cp2112LateReports, ADelayedReportIsOvertakenAndSentWhenItsTimeComes) {
    constexpr auto kDelay = 60ms;
    Cp2112Model m;
    InReady ready(m);
    Host h(m);
    m.delay_next_report(0x16, kDelay);
    const auto start = Clock::now();
    h.read(0x48, 2);
    h.out({0x15, 0x01});  // its answer is held
    EXPECT_FALSE(h.in().has_value());
    const auto s = h.status();  // this one overtakes it
    EXPECT_EQ(s.s0, 0x00);      // the first poll read the final status out
    // Nothing until the model announces it by itself.
    std::optional<Bytes> late;
    for (;;) {
        const int seen = ready.seen();
        if ((late = h.in()) || !ready.wait_beyond(seen, 5s)) break;
    }
    ASSERT_TRUE(late);
    EXPECT_GE(Clock::now() - start, kDelay);
    EXPECT_EQ((*late)[0], 0x16);
    EXPECT_EQ((*late)[1], 0x02);  // the read's own outcome, complete
}

TEST(Cp2112LateReports, ADelayedReportGoesOutAheadOfTheRequestThatReleasesIt) {
    Cp2112Model m;
    Host h(m);
    m.delay_next_report(0x13, 10s, 0x17);
    h.read(0x48, 2);
    ASSERT_EQ(h.wait_done().s0, 0x02);
    EXPECT_FALSE(h.force_send(2).has_value());  // held
    h.out({0x17, 0x01});
    auto late = h.in();
    ASSERT_TRUE(late);
    EXPECT_EQ((*late)[0], 0x13);
    EXPECT_EQ((*late)[2], 2);
    // Released by a status request: the late report comes first.
    m.delay_next_report(0x16, 10s, 0x15);
    h.out({0x15, 0x01});
    EXPECT_FALSE(h.in().has_value());
    h.out({0x15, 0x01});
    auto first = h.in();
    auto second = h.in();
    ASSERT_TRUE(first && second);
    EXPECT_EQ((*first)[0], 0x16);
    EXPECT_EQ((*second)[0], 0x16);
    EXPECT_FALSE(h.in().has_value());
}

TEST(Cp2112LateReports, ResetDropsHeldReports) {
    Cp2112Model m;
    Host h(m);
    m.delay_next_report(0x16, 10s, 0x15);
    h.out({0x15, 0x01});
    usb::DeviceModel& d = m;
    d.reset();
    h.out({0x15, 0x01});
    ASSERT_TRUE(h.in().has_value());
    EXPECT_FALSE(h.in().has_value());
}

TEST(Cp2112HostileFaults, SilentChipSendsNothingUntilItSpeaksAgain) {
    Cp2112Model m;
    Host h(m);
    m.set_silent(true);
    h.out({0x15, 0x01});
    h.read(0x48, 2);
    EXPECT_FALSE(h.in().has_value());
    EXPECT_EQ(m.pending_input_reports(), 0u);
    m.set_silent(false);
    EXPECT_EQ(h.wait_done().s0, 0x02);  // the transfer itself ran
}

TEST(Cp2112HostileFaults, UnsolicitedReportsArePaddedAndSentInOrder) {
    Cp2112Model m;
    Host h(m);
    m.send_unsolicited({0x13, 0x02, 0x01, 0xEE}, 2);
    m.send_unsolicited({0x16, 0x02, 0x05, 0, 0, 0, 2});
    EXPECT_EQ(m.pending_input_reports(), 3u);
    for (uint8_t id : {0x13, 0x13, 0x16}) {
        auto r = h.in();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->size(), 64u);
        EXPECT_EQ((*r)[0], id);
    }
    EXPECT_FALSE(h.in().has_value());
    EXPECT_TRUE(m.output_reports().empty());  // nothing was asked
}

TEST(Cp2112HostileFaults, DataReportsCarryAtMostTheChunkLimit) {
    Cp2112Model m;
    Host h(m);
    m.set_max_read_chunk(1);
    m.set_temperature_millicelsius(22'000);
    h.read(0x48, 2);
    ASSERT_EQ(h.wait_done().s0, 0x02);
    auto a = h.force_send(2);
    auto b = h.force_send(2);
    ASSERT_TRUE(a && b);
    EXPECT_EQ((*a)[2], 1);
    EXPECT_EQ((*a)[3], 0x16);
    EXPECT_EQ((*b)[2], 1);
    EXPECT_EQ((*b)[3], 0x00);
    EXPECT_FALSE(h.force_send(2).has_value());  // all of it was sent
    m.set_max_read_chunk(61);
}

}  // namespace
}  // namespace usbio::models
