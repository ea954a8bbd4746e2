// SPDX-License-Identifier: Apache-2.0
// Edge events sampled by core for adapters without GPIO interrupts.
#include <gtest/gtest.h>
#include <poll.h>

#include <future>

#include "fake_driver.hpp"
#include "usbio/usbio.hpp"

using namespace usbio;
using namespace std::chrono_literals;

namespace {

bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1;
}

struct EdgeRig {
    Context ctx;
    Device dev;
    std::shared_ptr<test::FakeState> st;
    LineRequest req;

    explicit EdgeRig(std::vector<LineConfig> lines) {
        auto [d, s] = test::add_fake(ctx);
        dev = d;
        st = s;
        RequestConfig cfg{"edges", std::move(lines), 200us};
        req = dev.gpio_chip().value().request_lines(cfg).value();
        // Two reads: the baseline sample is taken, later flips are edges.
        EXPECT_TRUE(st->wait_gets(2));
    }
    void flip(unsigned line) {
        int before;
        {
            std::lock_guard lk(st->mu);
            before = st->gets;
        }
        st->input_flip ^= uint64_t{1} << line;
        // Two reads: the second surely started after the flip.
        ASSERT_TRUE(st->wait_gets(before + 2));
    }
};

TEST(Edges, RisingAndFallingAreReportedInOrderWithSeqnos) {
    EdgeRig rig({{2, {Direction::input, Drive::push_pull, false, false, Edge::both}}});
    EXPECT_EQ(rig.req.wait_edge_events(0ms).value().size(), 0u);
    rig.flip(2);  // low -> high
    auto ev = rig.req.wait_edge_events(10s).value();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].type, EdgeEvent::Type::rising);
    EXPECT_EQ(ev[0].offset, 2u);
    EXPECT_EQ(ev[0].seqno, 1u);
    rig.flip(2);
    ev = rig.req.wait_edge_events(10s).value();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].type, EdgeEvent::Type::falling);
    EXPECT_EQ(ev[0].seqno, 2u);
}

TEST(Edges, AChangeRightAfterTheRequestIsAnEdge) {
    // The baseline is read before request_lines() returns, so an edge made
    // at once is not taken for the starting level.
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    RequestConfig cfg{"edges", {{4, {Direction::input, Drive::push_pull, false, false, Edge::both}}}, 200us};
    auto req = dev.gpio_chip().value().request_lines(cfg).value();
    st->input_flip ^= uint64_t{1} << 4;
    auto ev = req.wait_edge_events(10s).value();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].type, EdgeEvent::Type::rising);
}

TEST(Edges, OnlyTheRequestedEdgeAndActiveLowIsLogical) {
    // Line 1: rising only. Line 3: rising, active-low (so a physical fall).
    EdgeRig rig({{1, {Direction::input, Drive::push_pull, false, false, Edge::rising}},
                 {3, {Direction::input, Drive::push_pull, true, false, Edge::rising}}});
    rig.flip(1);  // physical rise on 1: reported
    rig.flip(1);  // physical fall on 1: not requested
    rig.flip(3);  // physical rise on 3 = logical fall: not requested
    rig.flip(3);  // physical fall on 3 = logical rise: reported
    std::vector<EdgeEvent> all;
    while (all.size() < 2) {
        auto ev = rig.req.wait_edge_events(10s).value();
        ASSERT_FALSE(ev.empty());
        all.insert(all.end(), ev.begin(), ev.end());
    }
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].offset, 1u);
    EXPECT_EQ(all[0].type, EdgeEvent::Type::rising);
    EXPECT_EQ(all[1].offset, 3u);
    EXPECT_EQ(all[1].type, EdgeEvent::Type::rising);
    EXPECT_EQ(rig.req.wait_edge_events(0ms).value().size(), 0u);
}

TEST(Edges, FdIsReadableWhileEventsAreQueued) {
    EdgeRig rig({{0, {Direction::input, Drive::push_pull, false, false, Edge::both}}});
    int fd = rig.req.edge_event_fd();
    ASSERT_GE(fd, 0);
    EXPECT_FALSE(readable(fd));
    rig.flip(0);
    pollfd p{fd, POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 10000), 1);
    EXPECT_EQ(rig.req.wait_edge_events(0ms).value().size(), 1u);
    EXPECT_FALSE(readable(fd));
}

TEST(Edges, BlockedWaiterGetsEnodevPromptlyOnRemoval) {
    EdgeRig rig({{5, {Direction::input, Drive::push_pull, false, false, Edge::both}}});
    auto waiter = std::async(std::launch::async, [r = rig.req]() mutable { return r.wait_edge_events(60s); });
    auto t0 = std::chrono::steady_clock::now();
    rig.dev.remove();
    ASSERT_EQ(waiter.wait_for(10s), std::future_status::ready);
    auto r = waiter.get();
    auto took = std::chrono::steady_clock::now() - t0;
    ASSERT_FALSE(r);
    EXPECT_EQ(r.code(), std::errc::no_such_device);
    EXPECT_LT(took, 5s);                             // a bound on "promptly" far above the expected microseconds
    EXPECT_TRUE(readable(rig.req.edge_event_fd()));  // the ended stream stays readable
    EXPECT_EQ(rig.req.wait_edge_events(0ms).code(), std::errc::no_such_device);
    EXPECT_EQ(rig.st->calls_after_destroy, 0);
}

TEST(Edges, ReleaseWakesABlockedWaiterWithEbadf) {
    EdgeRig rig({{6, {Direction::input, Drive::push_pull, false, false, Edge::falling}}});
    auto waiter = std::async(std::launch::async, [r = rig.req]() mutable { return r.wait_edge_events(60s); });
    rig.req.release();
    ASSERT_EQ(waiter.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(waiter.get().code(), std::errc::bad_file_descriptor);
}

TEST(Edges, EdgeOnAnOutputOrNoEdgeAtAllIsInvalid) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto chip = dev.gpio_chip().value();
    auto r = chip.request_lines({"x", {{0, {Direction::output, Drive::push_pull, false, false, Edge::both}}}});
    EXPECT_EQ(r.code(), std::errc::invalid_argument);
    auto plain = chip.request_lines({"y", {{1, {}}}}).value();
    EXPECT_EQ(plain.wait_edge_events(0ms).code(), std::errc::invalid_argument);
    EXPECT_EQ(plain.edge_event_fd(), -1);
}

}  // namespace
