// SPDX-License-Identifier: Apache-2.0
// Letting go of a device: abort, destruction with transfers in flight,
// destruction from the event thread, and the order libusb sees (the fake
// records a close with a transfer in flight, an interface still claimed or
// a detached kernel driver not given back as violations; TearDown checks).
#include <algorithm>

#include "libusb_fixture.hpp"

namespace usbio::test {
namespace {

std::vector<std::string> lifecycle(const std::vector<std::string>& log) {
    std::vector<std::string> out;
    for (const auto& e : log)
        if (e != "exit") out.push_back(e);
    return out;
}

TEST_F(LibusbTest, DestructionWaitsForEveryCompletionThenReleasesAndCloses) {
    auto t = open(plug());
    std::vector<Async> pending(3);
    for (auto& a : pending) t->submit(interrupt_in(), a.callback());
    ASSERT_EQ(fake->in_flight().size(), 3u);  // submit hands them to libusb at once
    t.reset();
    // Every completion ran before the destructor returned.
    for (auto& a : pending) {
        ASSERT_TRUE(a.ready());
        EXPECT_EQ(a.get().status, errc(ECANCELED));
    }
    EXPECT_EQ(lifecycle(fake->log()), (std::vector<std::string>{"open", "claim 0", "release 0", "close"}));
}

TEST_F(LibusbTest, KernelDriverIsDetachedFromTheClaimedInterfaceOnlyAndGivenBack) {
    FakeDeviceSpec spec = scripted_spec();
    spec.interfaces[0].kernel_driver = true;
    FakeInterface other;
    other.number = 1;
    other.kernel_driver = true;
    spec.interfaces.push_back(other);
    auto* dev = plug(spec);
    auto t = open(dev);
    ASSERT_TRUE(t);
    EXPECT_FALSE(fake->kernel_driver_bound(dev, 0));
    EXPECT_TRUE(fake->kernel_driver_bound(dev, 1));
    Async a;
    t->submit(interrupt_in(), a.callback());
    ASSERT_NE(fake->wait_for_endpoint(0x81), nullptr);
    t.reset();
    EXPECT_TRUE(a.ready());
    EXPECT_TRUE(fake->kernel_driver_bound(dev, 0));
    EXPECT_TRUE(fake->kernel_driver_bound(dev, 1));
    EXPECT_EQ(lifecycle(fake->log()),
              (std::vector<std::string>{"open", "detach 0", "claim 0", "release 0", "attach 0", "close"}));
}

TEST_F(LibusbTest, AbortCancelsEverythingAndRefusesLaterSubmits) {
    auto t = open(plug());
    Async a, b;
    t->submit(interrupt_in(), a.callback());
    t->submit(interrupt_out({1, 2, 3}), b.callback());
    ASSERT_NE(fake->wait_for_endpoint(0x01), nullptr);
    t->abort();
    EXPECT_EQ(a.get().status, errc(ECANCELED));
    EXPECT_EQ(b.get().status, errc(ECANCELED));
    EXPECT_FALSE(t->connected());
    Async c;
    EXPECT_EQ(t->submit(interrupt_in(), c.callback()), 0u);
    EXPECT_EQ(c.get().status, errc(ENODEV));
    t->abort();  // again: harmless
}

TEST_F(LibusbTest, SynchronousCallReturnsWhenAborted) {
    auto t = open(plug());
    std::thread reader([&] {
        std::vector<uint8_t> out;
        EXPECT_EQ(t->read(0x81, usb::TransferType::interrupt, 64, out, 0ms), errc(ECANCELED));
    });
    ASSERT_NE(fake->wait_for_endpoint(0x81), nullptr);
    t->abort();
    reader.join();
}

TEST_F(LibusbTest, DestructionFromInsideACompletion) {
    auto t = open(plug());
    usb::LibusbTransport* raw = t.release();
    Async other;
    raw->submit(interrupt_in(), other.callback());
    std::promise<std::thread::id> destroyed;
    raw->submit(interrupt_out({1}), [&](usb::TransferResult&&) {
        delete raw;  // on the event thread
        // The other transfer's completion ran before the destructor returned.
        EXPECT_TRUE(other.ready());
        destroyed.set_value(std::this_thread::get_id());
    });
    libusb_transfer* out = fake->wait_for_endpoint(0x01);
    ASSERT_NE(out, nullptr);
    fake->complete(out, LIBUSB_TRANSFER_COMPLETED);
    auto f = destroyed.get_future();
    ASSERT_EQ(f.wait_for(kWait), std::future_status::ready);
    EXPECT_EQ(f.get(), event_thread());
    EXPECT_EQ(other.get().status, errc(ECANCELED));
    // The handle closes once libusb has returned the cancelled transfer.
    EXPECT_TRUE(fake->wait_logged("close"));
    EXPECT_EQ(lifecycle(fake->log()), (std::vector<std::string>{"open", "claim 0", "release 0", "close"}));
}

TEST_F(LibusbTest, NoDisconnectReportAfterDestruction) {
    for (int round = 0; round < 20; ++round) {
        auto* dev = plug();
        auto t = open(dev);
        Signal disconnected;
        t->on_disconnect(disconnected.callback());
        Async a;
        t->submit(interrupt_in(), a.callback());
        fake->unplug(dev);  // the report races the destruction below
        t.reset();
        ASSERT_TRUE(a.ready());
        EXPECT_TRUE(a.get().status == errc(ENODEV) || a.get().status == errc(ECANCELED));
        const int seen = disconnected.count->load();
        ctx->run_on_event_thread([] {});  // anything still queued there has run now
        ctx->run_on_event_thread([] {});
        EXPECT_EQ(disconnected.count->load(), seen);
        EXPECT_LE(seen, 1);
    }
}

TEST_F(LibusbTest, ManyTransfersRacingDestruction) {
    for (int round = 0; round < 20; ++round) {
        auto t = open(plug());
        std::vector<Async> all(8);
        std::thread finisher([&] {
            for (int i = 0; i < 4; ++i) {
                libusb_transfer* x = fake->wait_for_endpoint(0x81);
                if (!x) return;
                fake->complete(x, LIBUSB_TRANSFER_COMPLETED, {uint8_t(i)});
            }
        });
        for (auto& a : all) t->submit(interrupt_in(), a.callback());
        finisher.join();
        t.reset();
        for (auto& a : all) {
            ASSERT_TRUE(a.ready());
            const auto st = a.get().status;
            EXPECT_TRUE(!st || st == errc(ECANCELED)) << st.message();
        }
    }
}

// The request a driver leaves for the release (the CP2112 turns Auto Send
// Read off again) goes out after every transfer ended and before the
// interface goes back; not to a device that was unplugged, and not at all
// when none was set (the tests above).
TEST_F(LibusbTest, ReleaseRequestGoesOutBeforeTheInterfaceIsGivenBack) {
    FakeDeviceSpec spec = scripted_spec();
    spec.interfaces[0].kernel_driver = true;
    auto t = open(plug(spec));
    Async a;
    t->submit(interrupt_in(), a.callback());
    t->set_release_request(usb::ControlSetup{0x21, 0x09, 0x0306, 0, 14}, std::vector<uint8_t>(14, 0));
    t->abort();  // as removal does before the driver is freed
    t.reset();
    EXPECT_EQ(a.get().status, errc(ECANCELED));
    EXPECT_EQ(lifecycle(fake->log()), (std::vector<std::string>{"open", "detach 0", "claim 0", "control 9 0x0306",
                                                                "release 0", "attach 0", "close"}));
}

TEST_F(LibusbTest, ReleaseRequestIsNotSentToAnUnpluggedDevice) {
    auto* dev = plug();
    auto t = open(dev);
    Signal disconnected;
    t->on_disconnect(disconnected.callback());
    t->set_release_request(usb::ControlSetup{0x21, 0x09, 0x0306, 0, 14}, std::vector<uint8_t>(14, 0));
    Async a;
    t->submit(interrupt_in(), a.callback());
    fake->unplug(dev, LIBUSB_TRANSFER_NO_DEVICE);
    EXPECT_EQ(a.get().status, errc(ENODEV));
    ASSERT_TRUE(disconnected.wait());  // the transport knows
    t.reset();
    for (const auto& e : fake->log()) EXPECT_NE(e.rfind("control", 0), 0u) << e;
}

}  // namespace
}  // namespace usbio::test
