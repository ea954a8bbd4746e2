// SPDX-License-Identifier: Apache-2.0
// Removal under stress: eight threads share one i2c bus, one line request
// and one gpio chip of a simulated CP2112 while the device is removed at a
// random moment by one of every route (unplug, unplug at transfer N,
// Device::remove(), Context destruction), a ninth thread may release the
// line request in the middle, and event callbacks do what the API allows
// (destroy the Context, settle(), unsubscribe themselves or another
// subscriber, call into a second adapter). Every call must return success,
// ENODEV, or EBADF after a release; the removal must finish; nothing may
// hang (a watchdog prints every thread's stack and aborts) and the
// sanitizer builds must see no race or use after free.
//
// USBIO_STRESS_CYCLES overrides the cycle count.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "usbio/usbio.hpp"
#include "watchdog.hpp"

using namespace usbio;
using namespace std::chrono_literals;

namespace {

int cycles_wanted() {
    if (const char* s = std::getenv("USBIO_STRESS_CYCLES")) return std::atoi(s);
    return 48;  // every route with every callback behaviour, twice
}

enum class Route { unplug, unplug_at_transfer, remove, destroy_context };
enum class InCallback { nothing, destroy_context, settle, unsubscribe_self, unsubscribe_other, call_other_device };

const char* name(Route r) {
    switch (r) {
    case Route::unplug: return "unplug";
    case Route::unplug_at_transfer: return "unplug at transfer";
    case Route::remove: return "remove()";
    case Route::destroy_context: return "Context destruction";
    }
    return "?";
}

// What the worker threads saw: anything but success, ENODEV, or EBADF on a
// released request is recorded with the message.
struct Tally {
    std::atomic<uint64_t> calls{0};
    std::mutex mu;
    std::vector<std::string> bad;
    void check(const std::error_code& ec, const std::string& msg, bool ebadf_ok) {
        calls.fetch_add(1, std::memory_order_relaxed);
        if (!ec || ec == std::errc::no_such_device || (ebadf_ok && ec == std::errc::bad_file_descriptor)) return;
        std::lock_guard lk(mu);
        if (bad.size() < 5) bad.push_back(ec.message() + ": " + msg);
    }
};

template <class R>
void check(Tally& t, const R& r, bool ebadf_ok = false) {
    t.check(r.code(), r.ok() ? std::string() : r.error().message, ebadf_ok);
}

struct Cycle {
    Route route;
    InCallback in_callback;
    bool release_midway;
    uint64_t trigger_after_calls;
    uint64_t unplug_transfer;
};

void run_cycle(const Cycle& c, Tally& tally) {
    std::atomic<Context*> owned{new Context};
    Context& ctx = *owned.load();
    auto target = sim::attach(ctx, "cp2112").value();
    auto other = sim::attach(ctx, "cp2112").value();
    Device dev = ctx.find(target->serial()).value();
    Device other_dev = ctx.find(other->serial()).value();
    I2cBus bus = dev.i2c_bus().value();
    I2cBus other_bus = other_dev.i2c_bus().value();
    GpioChip chip = dev.gpio_chip().value();
    LineRequest req = chip.request_lines({"stress", {{0, {Direction::output}}, {4, {}}}}).value();

    std::optional<Subscription> self_sub, other_sub;
    std::atomic<int> other_sub_calls_after_reset{0};
    std::atomic<bool> other_reset{false};
    other_sub = ctx.subscribe([&](const Event&) {
        if (other_reset.load()) other_sub_calls_after_reset++;
    });
    self_sub = ctx.subscribe([&](const Event& e) {
        if (e.type != Event::Type::removed || e.device.serial != target->serial()) return;
        switch (c.in_callback) {
        case InCallback::nothing: break;
        case InCallback::destroy_context:
            if (Context* p = owned.exchange(nullptr)) delete p;
            break;
        case InCallback::settle:
            if (Context* p = owned.load()) p->settle();
            break;
        case InCallback::unsubscribe_self: self_sub->reset(); break;
        case InCallback::unsubscribe_other:
            other_sub->reset();
            other_reset = true;
            break;
        case InCallback::call_other_device: {
            uint8_t b[4];
            check(tally, other_bus.read(0x50, b));
            break;
        }
        }
    });

    std::atomic<bool> stop{false};
    std::vector<std::thread> ts;
    auto worker = [&](auto&& op) {
        ts.emplace_back([&, op] {
            while (!stop.load(std::memory_order_relaxed)) op();
        });
    };
    for (int i = 0; i < 3; ++i)
        worker([&] {
            uint8_t b[8];
            check(tally, bus.read(0x50, b));
            check(tally, bus.read_word_data(0x48, 0x00));
        });
    for (int i = 0; i < 2; ++i)
        worker([&] {
            check(tally, req.set_value(0, 1), true);
            check(tally, req.get_values(), true);
        });
    for (int i = 0; i < 2; ++i) worker([&] { check(tally, chip.line_info(5)); });
    // Writes go to the sensor's configuration register: an EEPROM write
    // would make the EEPROM NACK the readers during its write cycle.
    worker([&] { check(tally, bus.write_byte_data(0x48, 0x01, 0x00)); });
    if (c.release_midway)
        ts.emplace_back([&] {
            while (tally.calls.load() < c.trigger_after_calls / 2 && !stop.load()) std::this_thread::yield();
            req.release();
        });

    // The random moment: after a random number of calls by the workers.
    while (tally.calls.load() < c.trigger_after_calls) std::this_thread::yield();
    switch (c.route) {
    case Route::unplug: target->unplug(); break;
    case Route::unplug_at_transfer: target->unplug_at_transfer(c.unplug_transfer); break;
    case Route::remove: dev.remove(); break;
    case Route::destroy_context:
        if (Context* p = owned.exchange(nullptr)) delete p;
        break;
    }
    if (c.route == Route::unplug_at_transfer && !dev.wait_gone(2s)) target->unplug();  // the workers may all be idle
    ASSERT_TRUE(dev.wait_gone(20s)) << "removal by " << name(c.route) << " did not finish";
    stop = true;
    for (auto& t : ts) t.join();
    if (Context* p = owned.exchange(nullptr)) {
        p->settle();
        delete p;
    }
    // After removal, every handle says ENODEV (or EBADF for the released request).
    uint8_t b[2];
    EXPECT_EQ(bus.read(0x50, b).code(), std::errc::no_such_device);
    EXPECT_EQ(chip.line_info(0).code(), std::errc::no_such_device);
    auto rc = req.get_values().code();
    EXPECT_TRUE(rc == std::errc::no_such_device || rc == std::errc::bad_file_descriptor) << rc.message();
    EXPECT_EQ(other_sub_calls_after_reset, 0);
}

TEST(RemovalStress, EveryRouteWithThreadsSharingHandlesAndBusyCallbacks) {
    test::Watchdog dog(300s);
    const int cycles = cycles_wanted();
    std::mt19937 rng(12345);
    Tally tally;
    for (int i = 0; i < cycles; ++i) {
        Cycle c;
        c.route = static_cast<Route>(i % 4);
        c.in_callback = static_cast<InCallback>((i / 4) % 6);
        c.release_midway = rng() % 3 == 0;
        c.trigger_after_calls = tally.calls.load() + rng() % 60;
        c.unplug_transfer = 1 + rng() % 12;
        run_cycle(c, tally);
        if (HasFatalFailure()) return;
        std::lock_guard lk(tally.mu);
        ASSERT_TRUE(tally.bad.empty()) << "cycle " << i << " (" << name(c.route) << "): " << tally.bad.front();
    }
    std::printf("removal stress: %d cycles, %llu calls\n", cycles, static_cast<unsigned long long>(tally.calls.load()));
}

}  // namespace
