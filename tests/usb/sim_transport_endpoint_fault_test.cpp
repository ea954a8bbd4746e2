// SPDX-License-Identifier: Apache-2.0
// Endpoint faults of the sim transport: transfers that end cancelled at
// once, and transfers that never end until abort, unplug or destruction.
#include <gtest/gtest.h>

#include "transport_test_util.hpp"

namespace usbio::usb::test {
namespace {

using LB = LoopbackModel;
using Fault = SimTransport::EndpointFault;

TEST(SimTransportEndpointFault, CancelledEndsEveryTransferCancelledParkedOnesToo) {
    Rig rig;
    Async parked;
    rig.t().submit(in_request(LB::kIntIn, 8), parked.callback());
    rig.sync();
    rig.t().set_endpoint_fault(LB::kIntIn, Fault::cancelled);
    EXPECT_EQ(parked.get().status, errc(ECANCELED));
    for (int i = 0; i < 3; ++i) {
        Async next;
        rig.t().submit(in_request(LB::kIntIn, 8), next.callback());
        EXPECT_EQ(next.get().status, errc(ECANCELED));
    }
    // Other endpoints are served as before.
    std::vector<uint8_t> got;
    EXPECT_FALSE(rig.t().control_in(vendor_in(LB::kPattern, 4), got, 1000ms));
    EXPECT_EQ(got, bytes(4));
    // And the endpoint works again once the fault is gone.
    rig.t().set_endpoint_fault(LB::kIntIn, Fault::none);
    rig.model->push_in(LB::kIntIn, bytes(8));
    EXPECT_FALSE(rig.t().read(LB::kIntIn, TransferType::interrupt, 8, got, 1000ms));
    EXPECT_EQ(got, bytes(8));
}

TEST(SimTransportEndpointFault, UnresponsiveIgnoresTimeoutAndCancel) {
    Rig rig;
    rig.t().set_endpoint_fault(0, Fault::unresponsive);
    Async held;
    const TransferId id = rig.t().submit(control_request(vendor_in(LB::kPattern, 4), {}, 20ms), held.callback());
    rig.t().cancel(id);
    // Interrupt transfers still run, and their completions come in order:
    // once this one is back, the cancel and the timeout have had their turn.
    rig.model->push_in(LB::kIntIn, bytes(8));
    std::vector<uint8_t> got;
    ASSERT_FALSE(rig.t().read(LB::kIntIn, TransferType::interrupt, 8, got, 1000ms));
    // Past the held transfer's own timeout, it still has not ended.
    EXPECT_EQ(held.future.wait_for(60ms), std::future_status::timeout);
    EXPECT_EQ(rig.t().in_flight(), 1u);
    rig.t().abort();
    EXPECT_EQ(held.get().status, errc(ECANCELED));
}

TEST(SimTransportEndpointFault, UnresponsiveTransfersEndOnUnplugAndOnDestruction) {
    Rig rig;
    rig.t().set_endpoint_fault(LB::kIntOut, Fault::unresponsive);
    Async unplugged;
    rig.t().submit(out_request(LB::kIntOut, bytes(4), 10ms), unplugged.callback());
    rig.sync();
    rig.t().unplug();
    EXPECT_EQ(unplugged.get().status, errc(ENODEV));

    Rig other;
    other.t().set_endpoint_fault(0, Fault::unresponsive);
    Async destroyed;
    other.t().submit(control_request(vendor_in(LB::kPattern, 4)), destroyed.callback());
    other.transport.reset();
    ASSERT_TRUE(destroyed.ready());
    EXPECT_EQ(destroyed.get().status, errc(ECANCELED));
}

// The synchronous helpers still return on their own when a transfer never
// completes: the caller's timeout, a cancel, and a bounded grace.
TEST(SimTransportEndpointFault, SynchronousHelperGivesUpOnAnUnresponsiveTransfer) {
    Rig rig;
    rig.t().set_endpoint_fault(0, Fault::unresponsive);
    std::vector<uint8_t> got;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(rig.t().control_in(vendor_in(LB::kPattern, 4), got, 50ms), errc(ETIMEDOUT));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
    EXPECT_TRUE(got.empty());
}

}  // namespace
}  // namespace usbio::usb::test
