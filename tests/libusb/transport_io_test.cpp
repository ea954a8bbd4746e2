// SPDX-License-Identifier: Apache-2.0
// The libusb transport's transfer lifecycle: data both ways, status
// mapping, timeouts, cancellation, refusals, and where completions run.
#include "libusb_fixture.hpp"

namespace usbio::test {
namespace {

TEST_F(LibusbTest, IdentityComesFromDescriptorsAndStrings) {
    FakeDeviceSpec spec = scripted_spec(0x10C4, 0xEA90);
    spec.bus = 3;
    spec.ports = {1, 4, 2};
    spec.bcd = 0x0002;
    FakeInterface other;
    other.number = 1;
    other.endpoints = {{0x83, LIBUSB_TRANSFER_TYPE_BULK, 512}};
    spec.interfaces.push_back(other);
    auto t = open(plug(spec));
    ASSERT_TRUE(t);
    const usb::DeviceIdentity& id = t->identity();
    EXPECT_EQ(id.vid, 0x10C4);
    EXPECT_EQ(id.pid, 0xEA90);
    EXPECT_EQ(id.bcd_device, 0x0002);
    EXPECT_EQ(id.path, "3-1.4.2");
    EXPECT_EQ(id.manufacturer, "Test Maker");
    EXPECT_EQ(id.product, "Scripted Bridge");
    EXPECT_EQ(id.serial, "SCRIPT01");
    EXPECT_FALSE(id.simulated);
    // Only the claimed interface: a driver cannot wander onto another one.
    ASSERT_EQ(id.interfaces.size(), 1u);
    EXPECT_EQ(id.interfaces[0].number, 0);
    EXPECT_EQ(id.interfaces[0].klass, 0x03);
    ASSERT_EQ(id.interfaces[0].endpoints.size(), 2u);
    EXPECT_EQ(id.interfaces[0].endpoints[0].address, 0x81);
    EXPECT_EQ(id.interfaces[0].endpoints[0].type, usb::TransferType::interrupt);
    EXPECT_EQ(id.interfaces[0].endpoints[0].max_packet, 64);
}

TEST_F(LibusbTest, InterruptInDeliversTheDataOnTheEventThread) {
    auto t = open(plug());
    Async a;
    const auto id = t->submit(interrupt_in(0x81, 64), a.callback());
    EXPECT_NE(id, 0u);
    libusb_transfer* x = fake->wait_for_endpoint(0x81);
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->length, 64);
    EXPECT_EQ(x->timeout, 0u);  // parked read: no timeout
    EXPECT_FALSE(a.ready());
    fake->complete(x, LIBUSB_TRANSFER_COMPLETED, {0x13, 0x01, 0x02});
    auto r = a.get();
    EXPECT_FALSE(r.status);
    EXPECT_EQ(r.data, (std::vector<uint8_t>{0x13, 0x01, 0x02}));
    EXPECT_EQ(r.actual, 3u);
    EXPECT_NE(a.thread->load(), std::this_thread::get_id());
    EXPECT_EQ(a.thread->load(), event_thread());
}

TEST_F(LibusbTest, OutTransferSendsTheCallersBytes) {
    auto t = open(plug());
    Async a;
    t->submit(interrupt_out({0x14, 0x50, 0x02}), a.callback());
    libusb_transfer* x = fake->wait_for_endpoint(0x01);
    ASSERT_NE(x, nullptr);
    ASSERT_EQ(x->length, 3);
    EXPECT_EQ(std::vector<uint8_t>(x->buffer, x->buffer + 3), (std::vector<uint8_t>{0x14, 0x50, 0x02}));
    EXPECT_EQ(x->timeout, 1000u);
    fake->complete(x, LIBUSB_TRANSFER_COMPLETED);
    auto r = a.get();
    EXPECT_FALSE(r.status);
    EXPECT_EQ(r.actual, 3u);
}

TEST_F(LibusbTest, SynchronousControlRequestRoundTrips) {
    auto t = open(plug());
    std::vector<uint8_t> out;
    std::thread answer([&] {
        uint8_t request_type = 0;
        int length = 0;
        libusb_transfer* x = fake->wait_for([&](const libusb_transfer* x) {
            if (x->type != LIBUSB_TRANSFER_TYPE_CONTROL || x->buffer[1] != 0x01) return false;
            request_type = x->buffer[0];
            length = x->length;
            return true;
        });
        ASSERT_NE(x, nullptr);
        EXPECT_EQ(request_type, 0xA1);
        EXPECT_EQ(length, LIBUSB_CONTROL_SETUP_SIZE + 9);
        fake->complete(x, LIBUSB_TRANSFER_COMPLETED, {0x05, 0x0C, 0x02});
    });
    auto ec = t->control_in({0xA1, 0x01, 0x0305, 0, 9}, out, 1000ms);
    answer.join();
    EXPECT_FALSE(ec);
    EXPECT_EQ(out, (std::vector<uint8_t>{0x05, 0x0C, 0x02}));
}

struct StatusCase {
    int libusb_status;
    int expected;
};

class StatusMapping : public LibusbTest, public ::testing::WithParamInterface<StatusCase> {};

TEST_P(StatusMapping, MapsToErrno) {
    auto t = open(plug());
    Async a;
    t->submit(interrupt_in(), a.callback());
    libusb_transfer* x = fake->wait_for_endpoint(0x81);
    ASSERT_NE(x, nullptr);
    fake->complete(x, GetParam().libusb_status);
    EXPECT_EQ(a.get().status, errc(GetParam().expected));
    EXPECT_TRUE(t->connected());
}

INSTANTIATE_TEST_SUITE_P(Statuses, StatusMapping,
                         ::testing::Values(StatusCase{LIBUSB_TRANSFER_STALL, EPIPE},
                                           StatusCase{LIBUSB_TRANSFER_TIMED_OUT, ETIMEDOUT},
                                           StatusCase{LIBUSB_TRANSFER_OVERFLOW, EOVERFLOW},
                                           // Nobody cancelled it: the system killed it. The
                                           // device is asked, is there, so: an I/O error.
                                           StatusCase{LIBUSB_TRANSFER_CANCELLED, EIO}));

TEST_F(LibusbTest, TimeoutIsLibusbsAndEndsTheTransfer) {
    auto t = open(plug());
    Async a;
    t->submit(interrupt_in(0x81, 64, 30ms), a.callback());
    const auto subs = fake->submissions();
    ASSERT_FALSE(subs.empty());
    EXPECT_EQ(subs.back().endpoint, 0x81);
    EXPECT_EQ(subs.back().timeout, 30u);
    EXPECT_EQ(a.get().status, errc(ETIMEDOUT));
}

TEST_F(LibusbTest, CancelCompletesWithEcanceledExactlyOnce) {
    auto t = open(plug());
    Async a;
    const auto id = t->submit(interrupt_in(), a.callback());
    ASSERT_NE(fake->wait_for_endpoint(0x81), nullptr);
    t->cancel(id);
    EXPECT_EQ(a.get().status, errc(ECANCELED));
    t->cancel(id);  // finished: nothing left to cancel, no second completion
    t->cancel(12345);
    EXPECT_TRUE(t->connected());
}

TEST_F(LibusbTest, CancelAfterCompletionKeepsTheResult) {
    auto t = open(plug());
    Async a;
    const auto id = t->submit(interrupt_in(), a.callback());
    libusb_transfer* x = fake->wait_for_endpoint(0x81);
    ASSERT_NE(x, nullptr);
    fake->complete(x, LIBUSB_TRANSFER_COMPLETED, {1, 2});
    t->cancel(id);
    auto r = a.get();
    EXPECT_FALSE(r.status);
    EXPECT_EQ(r.data.size(), 2u);
}

TEST_F(LibusbTest, RefusedSubmitCompletesLaterOnTheEventThread) {
    auto t = open(plug());
    struct Case {
        usb::TransferRequest req;
        int expected;
    };
    std::vector<Case> cases;
    cases.push_back({interrupt_in(0x82), EINVAL});  // no such endpoint
    auto wrong_type = interrupt_in(0x81);
    wrong_type.type = usb::TransferType::bulk;
    cases.push_back({wrong_type, EINVAL});
    auto negative = interrupt_in(0x81, 64, -1ms);
    cases.push_back({negative, EINVAL});
    usb::TransferRequest short_out;
    short_out.setup = {0x40, 0x01, 0, 0, 4};
    short_out.data = {1, 2};  // wLength says 4
    cases.push_back({short_out, EINVAL});
    for (auto& c : cases) {
        Async a;
        const auto id = t->submit(std::move(c.req), a.callback());
        EXPECT_EQ(id, 0u);
        EXPECT_EQ(a.get().status, errc(c.expected));
        // Not called from inside submit(): it ran on the event thread.
        EXPECT_EQ(a.thread->load(), event_thread());
        EXPECT_NE(a.thread->load(), std::this_thread::get_id());
    }
    EXPECT_EQ(fake->submitted(), 4u);  // only the identity strings reached libusb
}

TEST_F(LibusbTest, SubmitErrorsFromLibusbAreMapped) {
    auto* dev = plug();
    auto t = open(dev);
    for (auto [libusb_error, expected] :
         {std::pair{LIBUSB_ERROR_INVALID_PARAM, EINVAL}, std::pair{LIBUSB_ERROR_NOT_SUPPORTED, EOPNOTSUPP},
          std::pair{LIBUSB_ERROR_NO_MEM, ENOMEM}}) {
        fake->set_submit_error(dev, libusb_error);
        Async a;
        EXPECT_EQ(t->submit(interrupt_in(), a.callback()), 0u);
        EXPECT_EQ(a.get().status, errc(expected));
        EXPECT_TRUE(t->connected());
    }
    fake->set_submit_error(dev, 0);
    Async ok;
    t->submit(interrupt_in(), ok.callback());
    libusb_transfer* x = fake->wait_for_endpoint(0x81);
    ASSERT_NE(x, nullptr);
    fake->complete(x, LIBUSB_TRANSFER_COMPLETED);
    EXPECT_FALSE(ok.get().status);
}

TEST_F(LibusbTest, CompletionMaySubmitAgain) {
    auto t = open(plug());
    Async second;
    std::atomic<usb::Transport*> tp{t.get()};
    t->submit(interrupt_in(), [&](usb::TransferResult&&) { tp.load()->submit(interrupt_in(), second.callback()); });
    libusb_transfer* x = fake->wait_for_endpoint(0x81);
    ASSERT_NE(x, nullptr);
    const auto before = fake->submitted();
    fake->complete(x, LIBUSB_TRANSFER_COMPLETED, {1});
    ASSERT_TRUE(fake->wait_submitted(before + 1));
    libusb_transfer* y = fake->wait_for_endpoint(0x81);  // (may reuse x's memory)
    ASSERT_NE(y, nullptr);
    fake->complete(y, LIBUSB_TRANSFER_COMPLETED, {2});
    EXPECT_EQ(second.get().data, std::vector<uint8_t>{2});
}

}  // namespace
}  // namespace usbio::test
