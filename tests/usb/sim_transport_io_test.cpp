// SPDX-License-Identifier: Apache-2.0
// The sim transport carries control, interrupt and bulk transfers to a model
// the way a USB host would.
#include <gtest/gtest.h>

#include "transport_test_util.hpp"

namespace usbio::usb::test {
namespace {

using LB = LoopbackModel;

TEST(SimTransportIo, IdentityComesFromModelWithPathAndSimulated) {
    Rig rig;
    const DeviceIdentity& id = rig.t().identity();
    EXPECT_EQ(id.vid, 0x1209);
    EXPECT_EQ(id.pid, 0x0001);
    EXPECT_EQ(id.serial, "LB0001");
    EXPECT_EQ(id.path, "sim:7");
    EXPECT_TRUE(id.simulated);
    ASSERT_EQ(id.interfaces.size(), 1u);
    EXPECT_EQ(id.interfaces[0].endpoints.size(), 4u);
    EXPECT_TRUE(rig.t().connected());
    EXPECT_EQ(rig.t().model(), rig.model);
}

TEST(SimTransportIo, NullModelIsRejected) { EXPECT_THROW(SimTransport(nullptr, "sim:0"), std::system_error); }

TEST(SimTransportIo, ControlOutThenIn) {
    Rig rig;
    const auto data = bytes(5, 0x10);
    ASSERT_FALSE(rig.t().control_out(vendor_out(LB::kStore), data, 1000ms));
    std::vector<uint8_t> back;
    ASSERT_FALSE(rig.t().control_in(vendor_in(LB::kLoad, 64), back, 1000ms));
    EXPECT_EQ(back, data);
}

TEST(SimTransportIo, ControlInIsTruncatedToWLength) {
    Rig rig;
    std::vector<uint8_t> back;
    ASSERT_FALSE(rig.t().control_in(vendor_in(LB::kPattern, 10), back, 1000ms));
    EXPECT_EQ(back, bytes(10));
    Async a;
    rig.t().submit(control_request(vendor_in(LB::kPattern, 3)), a.callback());
    const TransferResult r = a.get();
    EXPECT_FALSE(r.status);
    EXPECT_EQ(r.actual, 3u);
    EXPECT_EQ(r.data, bytes(3));
}

TEST(SimTransportIo, ControlCarriesSetupFields) {
    Rig rig;
    std::vector<uint8_t> back;
    ASSERT_FALSE(rig.t().control_in(vendor_in(LB::kEcho, 4, 0xBEEF, 0x1234), back, 1000ms));
    EXPECT_EQ(back, (std::vector<uint8_t>{0xEF, 0xBE, 0x34, 0x12}));
}

TEST(SimTransportIo, StallIsEpipe) {
    Rig rig;
    std::vector<uint8_t> back{1, 2, 3};
    EXPECT_EQ(rig.t().control_in(vendor_in(LB::kStall, 8), back, 1000ms), errc(EPIPE));
    EXPECT_TRUE(back.empty());
    EXPECT_EQ(rig.t().control_out(vendor_out(LB::kStall), bytes(2), 1000ms), errc(EPIPE));
    // The device keeps working after a stall.
    EXPECT_FALSE(rig.t().control_in(vendor_in(LB::kPattern, 2), back, 1000ms));
}

TEST(SimTransportIo, ModelExceptionIsEio) {
    Rig rig;
    std::vector<uint8_t> back;
    EXPECT_EQ(rig.t().control_in(vendor_in(LB::kThrow, 8), back, 1000ms), errc(EIO));
    EXPECT_FALSE(rig.t().control_in(vendor_in(LB::kPattern, 2), back, 1000ms));
}

TEST(SimTransportIo, OutIsSplitIntoMaxPacketSizedPackets) {
    Rig rig;
    rig.model->set_echo(false);
    ASSERT_FALSE(rig.t().write(LB::kIntOut, TransferType::interrupt, bytes(20), 1000ms));
    const auto pk = rig.model->out_packets(LB::kIntOut);
    ASSERT_EQ(pk.size(), 3u);
    EXPECT_EQ(pk[0], bytes(8, 0));
    EXPECT_EQ(pk[1], bytes(8, 8));
    EXPECT_EQ(pk[2], bytes(4, 16));

    ASSERT_FALSE(rig.t().write(LB::kBulkOut, TransferType::bulk, bytes(32), 1000ms));
    const auto bk = rig.model->out_packets(LB::kBulkOut);
    ASSERT_EQ(bk.size(), 2u);
    EXPECT_EQ(bk[0], bytes(16, 0));
    EXPECT_EQ(bk[1], bytes(16, 16));
}

TEST(SimTransportIo, EmptyOutSendsOneZeroLengthPacket) {
    Rig rig;
    rig.model->set_echo(false);
    ASSERT_FALSE(rig.t().write(LB::kIntOut, TransferType::interrupt, {}, 1000ms));
    const auto pk = rig.model->out_packets(LB::kIntOut);
    ASSERT_EQ(pk.size(), 1u);
    EXPECT_TRUE(pk[0].empty());
}

TEST(SimTransportIo, RefusedOutPacketIsEpipeWithActualCount) {
    Rig rig;
    rig.model->set_echo(false);
    rig.model->refuse_out_after(2);
    Async a;
    rig.t().submit(out_request(LB::kIntOut, bytes(30)), a.callback());
    const TransferResult r = a.get();
    EXPECT_EQ(r.status, errc(EPIPE));
    EXPECT_EQ(r.actual, 16u);
    EXPECT_EQ(rig.model->out_packets(LB::kIntOut).size(), 2u);
    EXPECT_EQ(rig.t().write(LB::kIntOut, TransferType::interrupt, bytes(1), 1000ms), errc(EPIPE));
}

TEST(SimTransportIo, InIsParkedUntilTheModelHasData) {
    Rig rig;
    Async a;
    const TransferId id = rig.t().submit(in_request(LB::kIntIn, 8), a.callback());
    EXPECT_NE(id, 0u);
    rig.sync();  // the read has been offered to the model, which NAKed it
    EXPECT_GE(rig.model->in_tokens(LB::kIntIn), 1u);
    EXPECT_FALSE(a.ready());
    EXPECT_EQ(rig.t().in_flight(), 1u);

    // Data arrives from another thread; the notifier wakes the parked read.
    std::thread feeder([&] { rig.model->push_in(LB::kIntIn, bytes(8, 0x40)); });
    const TransferResult r = a.get();
    feeder.join();
    EXPECT_FALSE(r.status);
    EXPECT_EQ(r.data, bytes(8, 0x40));
    EXPECT_EQ(r.actual, 8u);
}

TEST(SimTransportIo, LoopbackEchoesThroughNotifierOnEventThread) {
    Rig rig;
    Async a;
    rig.t().submit(in_request(LB::kBulkIn, 16, 0ms, TransferType::bulk), a.callback());
    ASSERT_FALSE(rig.t().write(LB::kBulkOut, TransferType::bulk, bytes(16, 7), 1000ms));
    const TransferResult r = a.get();
    EXPECT_FALSE(r.status);
    EXPECT_EQ(r.data, bytes(16, 7));
}

TEST(SimTransportIo, InCollectsPacketsUntilLengthOrShortPacket) {
    Rig rig;
    rig.model->push_in(LB::kIntIn, bytes(8, 0));
    rig.model->push_in(LB::kIntIn, bytes(8, 8));
    rig.model->push_in(LB::kIntIn, bytes(8, 16));
    rig.model->push_in(LB::kIntIn, bytes(3, 24));
    std::vector<uint8_t> got;
    // Exactly the length asked for: two full packets.
    ASSERT_FALSE(rig.t().read(LB::kIntIn, TransferType::interrupt, 16, got, 1000ms));
    EXPECT_EQ(got, bytes(16, 0));
    // A short packet ends the transfer early.
    ASSERT_FALSE(rig.t().read(LB::kIntIn, TransferType::interrupt, 64, got, 1000ms));
    EXPECT_EQ(got, bytes(11, 16));
    // A zero-length packet too.
    rig.model->push_in(LB::kIntIn, {});
    ASSERT_FALSE(rig.t().read(LB::kIntIn, TransferType::interrupt, 64, got, 1000ms));
    EXPECT_TRUE(got.empty());
}

TEST(SimTransportIo, TooMuchInDataIsOverflow) {
    Rig rig;
    rig.model->push_in(LB::kIntIn, bytes(8));
    Async a;
    rig.t().submit(in_request(LB::kIntIn, 5), a.callback());
    const TransferResult r = a.get();
    EXPECT_EQ(r.status, errc(EOVERFLOW));
    EXPECT_EQ(r.data, bytes(5));

    // A packet above the endpoint's max packet size is babble as well.
    rig.model->push_in(LB::kIntIn, bytes(12));
    std::vector<uint8_t> got;
    EXPECT_EQ(rig.t().read(LB::kIntIn, TransferType::interrupt, 64, got, 1000ms), errc(EOVERFLOW));
}

TEST(SimTransportIo, ReadsOnOneEndpointAreServedInOrder) {
    Rig rig;
    std::vector<Async> reads(4);
    for (auto& a : reads) rig.t().submit(in_request(LB::kIntIn, 8), a.callback());
    for (int i = 0; i < 4; ++i) rig.model->push_in(LB::kIntIn, bytes(8, static_cast<uint8_t>(i * 8)));
    for (int i = 0; i < 4; ++i) {
        const TransferResult r = reads[i].get();
        EXPECT_FALSE(r.status);
        EXPECT_EQ(r.data, bytes(8, static_cast<uint8_t>(i * 8)));
    }
}

TEST(SimTransportIo, EndpointsAreIndependent) {
    Rig rig;
    Async bulk, intr;
    rig.t().submit(in_request(LB::kBulkIn, 16, 0ms, TransferType::bulk), bulk.callback());
    rig.t().submit(in_request(LB::kIntIn, 8), intr.callback());
    rig.model->push_in(LB::kIntIn, bytes(8));
    EXPECT_FALSE(intr.get().status);
    EXPECT_FALSE(bulk.ready());
    rig.model->push_in(LB::kBulkIn, bytes(4));
    EXPECT_EQ(bulk.get().data, bytes(4));
}

TEST(SimTransportIo, BadRequestsAreEinval) {
    Rig rig;
    struct Case {
        const char* what;
        TransferRequest req;
    };
    std::vector<Case> cases;
    cases.push_back({"unknown endpoint", in_request(0x85, 8)});
    cases.push_back({"type mismatch", in_request(LB::kIntIn, 8, 0ms, TransferType::bulk)});
    cases.push_back({"OUT to IN type mismatch", out_request(LB::kBulkOut, bytes(2))});
    {
        TransferRequest r = control_request(vendor_out(LB::kStore, 4), bytes(2));
        cases.push_back({"wLength differs from OUT data", r});
    }
    {
        TransferRequest r = control_request(vendor_in(LB::kPattern, 4));
        r.endpoint = 0x81;
        cases.push_back({"control on a non-zero endpoint", r});
    }
    {
        TransferRequest r = control_request(vendor_in(LB::kPattern, 4));
        r.timeout = -1ms;
        cases.push_back({"negative timeout", r});
    }
    for (auto& c : cases) {
        Async a;
        EXPECT_EQ(rig.t().submit(c.req, a.callback()), 0u) << c.what;
        EXPECT_EQ(a.get().status, errc(EINVAL)) << c.what;
    }
    std::vector<uint8_t> out;
    EXPECT_EQ(rig.t().control_in(vendor_out(LB::kLoad), out, 100ms), errc(EINVAL));
    EXPECT_EQ(rig.t().control_out(vendor_in(LB::kStore, 0), bytes(1), 100ms), errc(EINVAL));
    EXPECT_EQ(rig.t().write(LB::kIntIn, TransferType::interrupt, bytes(1), 100ms), errc(EINVAL));
    EXPECT_EQ(rig.t().write(0, TransferType::control, bytes(1), 100ms), errc(EINVAL));
    EXPECT_EQ(rig.t().read(LB::kIntOut, TransferType::interrupt, 8, out, 100ms), errc(EINVAL));
    EXPECT_TRUE(rig.t().connected());
}

TEST(SimTransportIo, ReadTimeoutIsEtimedoutWithPartialData) {
    Rig rig;
    const auto start = std::chrono::steady_clock::now();
    std::vector<uint8_t> got{9};
    EXPECT_EQ(rig.t().read(LB::kIntIn, TransferType::interrupt, 8, got, 50ms), errc(ETIMEDOUT));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
    EXPECT_TRUE(got.empty());

    // One full packet of the two wanted arrived before the deadline.
    rig.model->push_in(LB::kIntIn, bytes(8));
    Async a;
    rig.t().submit(in_request(LB::kIntIn, 16, 50ms), a.callback());
    const TransferResult r = a.get();
    EXPECT_EQ(r.status, errc(ETIMEDOUT));
    EXPECT_EQ(r.data, bytes(8));
    EXPECT_EQ(r.actual, 8u);

    // The endpoint still works afterwards.
    rig.model->push_in(LB::kIntIn, bytes(8, 1));
    ASSERT_FALSE(rig.t().read(LB::kIntIn, TransferType::interrupt, 8, got, 1000ms));
    EXPECT_EQ(got, bytes(8, 1));
}

TEST(SimTransportIo, ZeroTimeoutMeansNone) {
    Rig rig;
    Async forever, bounded;
    rig.t().submit(in_request(LB::kIntIn, 8, 0ms), forever.callback());
    rig.t().submit(in_request(LB::kBulkIn, 16, 30ms, TransferType::bulk), bounded.callback());
    EXPECT_EQ(bounded.get().status, errc(ETIMEDOUT));
    rig.sync();
    EXPECT_FALSE(forever.ready());
    rig.model->push_in(LB::kIntIn, bytes(8));
    EXPECT_FALSE(forever.get().status);
}

TEST(SimTransportIo, CompletionNeverRunsInsideSubmit) {
    Rig rig;
    const auto me = std::this_thread::get_id();
    std::vector<Async> all(4);
    rig.model->push_in(LB::kIntIn, bytes(8));
    rig.t().submit(control_request(vendor_in(LB::kPattern, 4)), all[0].callback());
    rig.t().submit(in_request(LB::kIntIn, 8), all[1].callback());
    EXPECT_FALSE(all[0].get().status);
    EXPECT_FALSE(all[1].get().status);
    rig.t().submit(in_request(0x8F, 8), all[2].callback());  // refused: EINVAL
    rig.t().abort();
    rig.t().submit(in_request(LB::kIntIn, 8), all[3].callback());  // refused: ENODEV
    std::thread::id event_thread;
    for (auto& a : all) {
        a.get();
        EXPECT_NE(*a.thread, me);
        if (event_thread == std::thread::id()) event_thread = *a.thread;
        EXPECT_EQ(*a.thread, event_thread);
    }
    EXPECT_EQ(all[3].get().status, errc(ENODEV));
    // The model is driven from that same one thread.
    EXPECT_EQ(rig.model->host_threads(), std::set<std::thread::id>{event_thread});
}

}  // namespace
}  // namespace usbio::usb::test
