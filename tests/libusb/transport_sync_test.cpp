// SPDX-License-Identifier: Apache-2.0
// Synchronous calls handle their own events: the completion runs on the
// caller's thread when no other thread handles events; with two callers one
// handles, the other waits; unplug and abort still end a caller promptly.
#include <algorithm>
#include <optional>

#include "libusb_fixture.hpp"

namespace usbio::test {
namespace {

using Clock = std::chrono::steady_clock;

// A synchronous call on a thread of its own.
class Caller {
public:
    using Call = std::function<std::error_code(std::vector<uint8_t>&)>;

    explicit Caller(Call call) {
        result_ = std::async(std::launch::async, [this, call = std::move(call)] {
            id_.set_value(std::this_thread::get_id());
            const auto t0 = Clock::now();
            const std::error_code ec = call(data_);
            took_ = Clock::now() - t0;
            return ec;
        });
    }
    std::thread::id id() {
        if (id_future_.wait_for(kWait) != std::future_status::ready) return {};
        return id_future_.get();
    }
    bool returned() const { return result_.wait_for(0s) == std::future_status::ready; }
    std::error_code get() {
        if (result_.wait_for(kWait) != std::future_status::ready) {
            ADD_FAILURE() << "the call did not return";
            return errc(ETIMEDOUT);
        }
        return result_.get();
    }
    // After get().
    const std::vector<uint8_t>& data() const { return data_; }
    Clock::duration took() const { return took_; }

private:
    std::promise<std::thread::id> id_;
    std::shared_future<std::thread::id> id_future_ = id_.get_future().share();
    std::vector<uint8_t> data_;
    Clock::duration took_{};
    std::future<std::error_code> result_;
};

Caller::Call read_in(usb::LibusbTransport& t, std::chrono::milliseconds timeout = 5000ms, uint8_t ep = 0x81) {
    return [&t, timeout, ep](std::vector<uint8_t>& out) {
        return t.read(ep, usb::TransferType::interrupt, 64, out, timeout);
    };
}

Caller::Call write_out(usb::LibusbTransport& t, std::vector<uint8_t> data) {
    return [&t, data = std::move(data)](std::vector<uint8_t>&) {
        return t.write(0x01, usb::TransferType::interrupt, data, 5000ms);
    };
}

// The thread that ran the last callback of a transfer on `endpoint`.
std::optional<std::thread::id> callback_thread(const FakeLibusb& fake, uint8_t endpoint) {
    const auto cbs = fake.callbacks();
    auto it = std::find_if(cbs.rbegin(), cbs.rend(), [endpoint](const auto& c) { return c.endpoint == endpoint; });
    if (it == cbs.rend()) return std::nullopt;
    return it->thread;
}

TEST_F(LibusbTest, SynchronousCallCompletesOnTheCallingThread) {
    auto t = open(plug());
    Caller a(read_in(*t));
    libusb_transfer* x = fake->wait_for_endpoint(0x81);
    ASSERT_NE(x, nullptr);
    // Nobody else handles events: the caller takes the lock itself.
    EXPECT_EQ(fake->wait_caller_holds_events(), a.id());
    fake->complete(x, LIBUSB_TRANSFER_COMPLETED, {1, 2, 3});
    EXPECT_EQ(a.get(), std::error_code{});
    EXPECT_EQ(a.data(), (std::vector<uint8_t>{1, 2, 3}));
    EXPECT_EQ(callback_thread(*fake, 0x81), a.id());
    EXPECT_NE(a.id(), event_thread());
    EXPECT_GT(fake->locked_rounds(), 0u);
}

TEST_F(LibusbTest, TwoCallersOneHandlesEventsTheOtherWaits) {
    auto t = open(plug());
    Caller reader(read_in(*t));
    Caller writer(write_out(*t, {9, 8, 7}));
    libusb_transfer* in = fake->wait_for_endpoint(0x81);
    libusb_transfer* out = fake->wait_for_endpoint(0x01);
    ASSERT_NE(in, nullptr);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->length, 3);
    const std::thread::id holder = fake->wait_caller_holds_events(1);
    ASSERT_TRUE(holder == reader.id() || holder == writer.id());
    const bool reader_holds = holder == reader.id();
    Caller& handling = reader_holds ? reader : writer;
    Caller& waiting = reader_holds ? writer : reader;

    // The waiter's transfer finishes first: the holder runs its callback
    // and wakes it, and keeps waiting for its own.
    if (reader_holds)
        fake->complete(out, LIBUSB_TRANSFER_COMPLETED);
    else
        fake->complete(in, LIBUSB_TRANSFER_COMPLETED, {5, 6});
    EXPECT_EQ(waiting.get(), std::error_code{});
    EXPECT_EQ(callback_thread(*fake, reader_holds ? 0x01 : 0x81), holder);
    EXPECT_FALSE(handling.returned());

    if (reader_holds)
        fake->complete(in, LIBUSB_TRANSFER_COMPLETED, {5, 6});
    else
        fake->complete(out, LIBUSB_TRANSFER_COMPLETED);
    EXPECT_EQ(handling.get(), std::error_code{});
    EXPECT_EQ(callback_thread(*fake, reader_holds ? 0x81 : 0x01), holder);
    EXPECT_EQ(reader.data(), (std::vector<uint8_t>{5, 6}));
}

TEST_F(LibusbTest, RefusedCallReturnsWhileAnotherCallerHandlesEvents) {
    auto t = open(plug());
    Caller reader(read_in(*t));
    libusb_transfer* in = fake->wait_for_endpoint(0x81);
    ASSERT_NE(in, nullptr);
    ASSERT_EQ(fake->wait_caller_holds_events(), reader.id());
    // Refused without libusb: the completion comes from a task on the event
    // thread, outside event handling, and must still wake its caller.
    Caller refused(read_in(*t, 5000ms, 0x83));
    EXPECT_EQ(refused.get(), errc(EINVAL));
    // Well under the 1 s slice a waiter waits when nobody wakes it.
    EXPECT_LT(refused.took(), 800ms);
    EXPECT_FALSE(reader.returned());
    fake->complete(in, LIBUSB_TRANSFER_COMPLETED, {7});
    EXPECT_EQ(reader.get(), std::error_code{});
    EXPECT_EQ(reader.data(), (std::vector<uint8_t>{7}));
}

TEST_F(LibusbTest, UnplugWhileTheCallerHandlesEventsEndsItWithEnodev) {
    auto* dev = plug();
    auto t = open(dev);
    Caller a(read_in(*t));
    ASSERT_NE(fake->wait_for_endpoint(0x81), nullptr);
    ASSERT_EQ(fake->wait_caller_holds_events(), a.id());
    fake->unplug(dev);
    EXPECT_EQ(a.get(), errc(ENODEV));
    EXPECT_LT(a.took(), 4s);  // the unplug ended it, not its 5 s timeout
    EXPECT_EQ(callback_thread(*fake, 0x81), a.id());
}

TEST_F(LibusbTest, AbortWhileTheCallerHandlesEventsEndsItAtOnce) {
    auto t = open(plug());
    Caller a(read_in(*t, 0ms));  // no timeout: only the abort ends it
    ASSERT_NE(fake->wait_for_endpoint(0x81), nullptr);
    ASSERT_EQ(fake->wait_caller_holds_events(), a.id());
    t->abort();
    EXPECT_EQ(a.get(), errc(ECANCELED));
    std::vector<uint8_t> out;
    EXPECT_EQ(t->read(0x81, usb::TransferType::interrupt, 64, out, 1000ms), errc(ENODEV));
}

TEST_F(LibusbTest, AsynchronousCompletionsRunWhileACallerHandlesEvents) {
    auto t = open(plug());
    Async sampled;  // as edge sampling keeps one read parked
    t->submit(interrupt_in(), sampled.callback());
    libusb_transfer* in = fake->wait_for_endpoint(0x81);
    ASSERT_NE(in, nullptr);
    Caller writer(write_out(*t, {1}));
    libusb_transfer* out = fake->wait_for_endpoint(0x01);
    ASSERT_NE(out, nullptr);
    ASSERT_EQ(fake->wait_caller_holds_events(), writer.id());
    fake->complete(in, LIBUSB_TRANSFER_COMPLETED, {4});
    EXPECT_EQ(sampled.get().status, std::error_code{});
    EXPECT_EQ(sampled.thread->load(), writer.id());
    fake->complete(out, LIBUSB_TRANSFER_COMPLETED);
    EXPECT_EQ(writer.get(), std::error_code{});

    // With no caller left the event thread handles events again.
    Async next;
    t->submit(interrupt_in(), next.callback());
    libusb_transfer* again = fake->wait_for_endpoint(0x81);
    ASSERT_NE(again, nullptr);
    fake->complete(again, LIBUSB_TRANSFER_COMPLETED, {5});
    EXPECT_EQ(next.get().status, std::error_code{});
    EXPECT_EQ(next.thread->load(), event_thread());
}

// A driver waiting for its own parked IN transfer (the CP2112's input
// reports) handles the events itself, as a synchronous caller does.
TEST_F(LibusbTest, WaitEventsRunsTheDriversCompletionOnTheWaitingThread) {
    auto t = open(plug());
    std::mutex mu;
    bool arrived = false;
    std::atomic<std::thread::id> ran{};
    t->submit(interrupt_in(), [&, wake = t->waker()](usb::TransferResult&&) {
        {
            std::lock_guard lk(mu);
            arrived = true;
        }
        ran.store(std::this_thread::get_id());
        if (wake) wake();
    });
    libusb_transfer* in = fake->wait_for_endpoint(0x81);
    ASSERT_NE(in, nullptr);
    Caller waiter([&](std::vector<uint8_t>&) {
        const bool handled = t->wait_events(
            [&] {
                std::lock_guard lk(mu);
                return arrived;
            },
            Clock::now() + 5s);
        return handled ? std::error_code{} : errc(EOPNOTSUPP);
    });
    ASSERT_EQ(fake->wait_caller_holds_events(), waiter.id());
    fake->complete(in, LIBUSB_TRANSFER_COMPLETED, {7});
    EXPECT_EQ(waiter.get(), std::error_code{});
    EXPECT_LT(waiter.took(), 4s);  // the completion ended it, not the deadline
    EXPECT_EQ(ran.load(), waiter.id());
    EXPECT_NE(waiter.id(), event_thread());
}

TEST_F(LibusbTest, WaitEventsEndsOnItsDeadline) {
    auto t = open(plug());
    const auto t0 = Clock::now();
    EXPECT_TRUE(t->wait_events([] { return false; }, t0 + 50ms));
    EXPECT_GE(Clock::now() - t0, 50ms);
    EXPECT_LT(Clock::now() - t0, 2s);
}

}  // namespace
}  // namespace usbio::test
