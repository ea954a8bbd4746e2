// SPDX-License-Identifier: Apache-2.0
// The device leaving: "no device" from libusb, I/O errors that may or may
// not be an unplug (the GET_CONFIGURATION check), a device that stays on
// the bus without its configuration, and a departure reported by whoever
// watches the bus.
#include "libusb_fixture.hpp"

namespace usbio::test {
namespace {

bool is_status_request(const libusb_transfer* x) {
    return x->type == LIBUSB_TRANSFER_TYPE_CONTROL && x->buffer[0] == 0x80 && x->buffer[1] == 0x08;
}

TEST_F(LibusbTest, NoDeviceEndsEverythingAndReportsOnceOnTheEventThread) {
    auto* dev = plug();
    auto t = open(dev);
    Signal disconnected;
    t->on_disconnect(disconnected.callback());
    Async a, b;
    t->submit(interrupt_in(), a.callback());
    t->submit(interrupt_out({1, 2}), b.callback());
    fake->unplug(dev, LIBUSB_TRANSFER_NO_DEVICE);
    EXPECT_EQ(a.get().status, errc(ENODEV));
    EXPECT_EQ(b.get().status, errc(ENODEV));
    ASSERT_TRUE(disconnected.wait());
    EXPECT_EQ(disconnected.thread->load(), event_thread());
    EXPECT_FALSE(t->connected());
    Async c;
    EXPECT_EQ(t->submit(interrupt_in(), c.callback()), 0u);
    EXPECT_EQ(c.get().status, errc(ENODEV));
    ctx->run_on_event_thread([] {});
    EXPECT_EQ(disconnected.count->load(), 1);
}

TEST_F(LibusbTest, IoErrorFromAnUnplugIsConfirmedAndBecomesEnodev) {
    auto* dev = plug();
    auto t = open(dev);
    Signal disconnected;
    t->on_disconnect(disconnected.callback());
    Async a;
    t->submit(interrupt_in(), a.callback());
    // Most unplugs first show as an I/O error on the transfers in flight;
    // afterwards the device refuses everything with "no device".
    fake->unplug(dev, LIBUSB_TRANSFER_ERROR);
    EXPECT_EQ(a.get().status, errc(ENODEV));
    ASSERT_TRUE(disconnected.wait());
    EXPECT_FALSE(t->connected());
}

// authorized=0 in sysfs: usbfs kills our transfers (CANCELLED, though we
// cancelled nothing) and the device stays, answering on ep0 that it has no
// configuration. Our interface is gone: that is an unplug for us.
TEST_F(LibusbTest, DeauthorisedDeviceIsGoneForUs) {
    auto* dev = plug();
    auto t = open(dev);
    Signal disconnected;
    t->on_disconnect(disconnected.callback());
    Async a;
    t->submit(interrupt_in(), a.callback());
    ASSERT_NE(fake->wait_for_endpoint(0x81), nullptr);
    const auto before = fake->status_requests();
    fake->deauthorize(dev);
    EXPECT_EQ(a.get().status, errc(ENODEV));
    EXPECT_EQ(fake->status_requests(), before + 1);
    ASSERT_TRUE(disconnected.wait());
    EXPECT_FALSE(t->connected());
    Async b;
    t->submit(interrupt_out({1}), b.callback());
    EXPECT_EQ(b.get().status, errc(ENODEV));
}

TEST_F(LibusbTest, IoErrorOnAPresentDeviceStaysEio) {
    auto t = open(plug());
    Signal disconnected;
    t->on_disconnect(disconnected.callback());
    Async a;
    t->submit(interrupt_in(), a.callback());
    libusb_transfer* x = fake->wait_for_endpoint(0x81);
    ASSERT_NE(x, nullptr);
    const auto before = fake->status_requests();
    fake->complete(x, LIBUSB_TRANSFER_ERROR);
    EXPECT_EQ(a.get().status, errc(EIO));
    EXPECT_EQ(fake->status_requests(), before + 1);  // the device was asked, and answered
    EXPECT_TRUE(t->connected());
    ctx->run_on_event_thread([] {});
    EXPECT_EQ(disconnected.count->load(), 0);
    // The transport keeps working.
    Async b;
    t->submit(interrupt_in(), b.callback());
    libusb_transfer* y = fake->wait_for_endpoint(0x81);
    ASSERT_NE(y, nullptr);
    fake->complete(y, LIBUSB_TRANSFER_COMPLETED, {7});
    EXPECT_FALSE(b.get().status);
}

TEST_F(LibusbTest, CheckThatFailsAgainIsRetriedThenEio) {
    auto* dev = plug();
    auto t = open(dev);
    fake->set_status_reply(dev, LIBUSB_TRANSFER_ERROR);
    Async a;
    t->submit(interrupt_in(), a.callback());
    libusb_transfer* x = fake->wait_for_endpoint(0x81);
    ASSERT_NE(x, nullptr);
    const auto before = fake->status_requests();
    fake->complete(x, LIBUSB_TRANSFER_ERROR);
    EXPECT_EQ(a.get().status, errc(EIO));
    EXPECT_EQ(fake->status_requests(), before + 3);
    EXPECT_TRUE(t->connected());
}

TEST_F(LibusbTest, SeveralIoErrorsShareOneCheck) {
    auto* dev = plug();
    auto t = open(dev);
    fake->set_status_reply(dev, -1);  // the check waits for the test
    Async a, b;
    t->submit(interrupt_in(), a.callback());
    t->submit(interrupt_out({1}), b.callback());
    libusb_transfer* in = fake->wait_for_endpoint(0x81);
    libusb_transfer* out = fake->wait_for_endpoint(0x01);
    ASSERT_TRUE(in && out);
    fake->complete(in, LIBUSB_TRANSFER_ERROR);
    fake->complete(out, LIBUSB_TRANSFER_ERROR);
    libusb_transfer* check = fake->wait_for(is_status_request);
    ASSERT_NE(check, nullptr);
    EXPECT_FALSE(a.ready());
    EXPECT_FALSE(b.ready());
    fake->complete(check, LIBUSB_TRANSFER_NO_DEVICE);
    EXPECT_EQ(a.get().status, errc(ENODEV));
    EXPECT_EQ(b.get().status, errc(ENODEV));
    EXPECT_EQ(fake->status_requests(), 1u);
    EXPECT_FALSE(t->connected());
}

TEST_F(LibusbTest, UnplugDuringTheCheck) {
    auto* dev = plug();
    auto t = open(dev);
    Signal disconnected;
    t->on_disconnect(disconnected.callback());
    fake->set_status_reply(dev, -1);
    Async a;
    t->submit(interrupt_in(), a.callback());
    libusb_transfer* x = fake->wait_for_endpoint(0x81);
    ASSERT_NE(x, nullptr);
    fake->complete(x, LIBUSB_TRANSFER_ERROR);
    ASSERT_NE(fake->wait_for(is_status_request), nullptr);
    fake->unplug(dev, LIBUSB_TRANSFER_ERROR);  // the check itself fails with an I/O error
    EXPECT_EQ(a.get().status, errc(ENODEV));   // the retry finds no device
    ASSERT_TRUE(disconnected.wait());
}

TEST_F(LibusbTest, DestructionDuringTheCheck) {
    auto* dev = plug();
    auto t = open(dev);
    fake->set_status_reply(dev, -1);
    Async a;
    t->submit(interrupt_in(), a.callback());
    libusb_transfer* x = fake->wait_for_endpoint(0x81);
    ASSERT_NE(x, nullptr);
    fake->complete(x, LIBUSB_TRANSFER_ERROR);
    ASSERT_NE(fake->wait_for(is_status_request), nullptr);
    t.reset();  // cancels the check and waits for it
    ASSERT_TRUE(a.ready());
    EXPECT_EQ(a.get().status, errc(EIO));
}

TEST_F(LibusbTest, SubmitFailingWithIoErrorIsChecked) {
    auto* dev = plug();
    auto t = open(dev);
    fake->set_submit_error(dev, LIBUSB_ERROR_IO, 1);
    fake->set_status_reply(dev, LIBUSB_TRANSFER_NO_DEVICE);
    Async a;
    EXPECT_EQ(t->submit(interrupt_in(), a.callback()), 0u);
    EXPECT_EQ(a.get().status, errc(ENODEV));
    EXPECT_FALSE(t->connected());
}

TEST_F(LibusbTest, SubmitFailingWithIoErrorOnAPresentDevice) {
    auto* dev = plug();
    auto t = open(dev);
    fake->set_submit_error(dev, LIBUSB_ERROR_IO);  // the checks cannot be submitted either
    Async a;
    EXPECT_EQ(t->submit(interrupt_in(), a.callback()), 0u);
    EXPECT_EQ(a.get().status, errc(EIO));
    EXPECT_TRUE(t->connected());
}

TEST_F(LibusbTest, DepartureReportedByTheBusWatcher) {
    auto t = open(plug());
    Signal disconnected;
    t->on_disconnect(disconnected.callback());
    Async a;
    t->submit(interrupt_in(), a.callback());
    ASSERT_NE(fake->wait_for_endpoint(0x81), nullptr);
    auto presence = t->presence();
    presence.device_left();
    EXPECT_EQ(a.get().status, errc(ENODEV));
    ASSERT_TRUE(disconnected.wait());
    EXPECT_EQ(disconnected.thread->load(), event_thread());
    presence.device_left();  // again: nothing more
    t.reset();
    presence.device_left();  // after the transport: harmless
    EXPECT_EQ(disconnected.count->load(), 1);
}

TEST_F(LibusbTest, DisconnectCallbackRegisteredLateStillHearsIt) {
    auto* dev = plug();
    auto t = open(dev);
    fake->unplug(dev);
    t->presence().device_left();
    Signal disconnected;
    t->on_disconnect(disconnected.callback());
    ASSERT_TRUE(disconnected.wait());
    ctx->run_on_event_thread([] {});
    EXPECT_EQ(disconnected.count->load(), 1);
}

}  // namespace
}  // namespace usbio::test
