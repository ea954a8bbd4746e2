// SPDX-License-Identifier: Apache-2.0
// Unplug at every USB transfer of every operation, on every simulated chip.
//
// For each operation we first count the transfers it makes on a healthy
// simulated adapter, then repeat it once per transfer index with the
// adapter unplugged exactly there. Each time: the call returns success or
// ENODEV within a bound (never hangs), the device reaches gone, every later
// call on the same handles returns ENODEV, and the removed event fires once.
// Sanitizer builds run the same test, so a use-after-free or race on the
// removal path is a failure too.
#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <tuple>

#include "usbio/usbio.hpp"

using namespace usbio;
using namespace std::chrono_literals;

namespace {

struct Handles {
    Device dev;
    GpioChip chip;
    I2cBus bus;
    LineRequest outputs;  // lines 0-1 as outputs
    LineRequest inputs;   // lines 4-5 as inputs
};

using Op = std::function<std::error_code(Handles&)>;

struct NamedOp {
    const char* name;
    Op op;
};

std::error_code code_of(const auto& r) { return r.code(); }

const std::vector<NamedOp>& operations() {
    static const std::vector<NamedOp> ops = {
        {"gpio line_info", [](Handles& h) { return code_of(h.chip.line_info(6)); }},
        {"gpio request output",
         [](Handles& h) {
             return code_of(h.chip.request_lines({"t", {{7, {Direction::output, Drive::open_drain, false, true}}}}));
         }},
        {"gpio get", [](Handles& h) { return code_of(h.inputs.get_values()); }},
        {"gpio set",
         [](Handles& h) {
             return code_of(h.outputs.set_values({1, 0}));
         }},
        {"i2c write",
         [](Handles& h) {
             const uint8_t b[] = {0x00, 0x10, 1, 2, 3, 4};
             return code_of(h.bus.write(0x50, b));
         }},
        {"i2c read 8",
         [](Handles& h) {
             uint8_t b[8];
             return code_of(h.bus.read(0x50, b));
         }},
        {"i2c read 512",
         [](Handles& h) {
             std::vector<uint8_t> b(512);
             return code_of(h.bus.read(0x50, b));
         }},
        {"i2c write-read",
         [](Handles& h) {
             const uint8_t a[] = {0x00, 0x00};
             uint8_t b[32];
             return code_of(h.bus.write_read(0x50, a, b));
         }},
        {"smbus read word", [](Handles& h) { return code_of(h.bus.read_word_data(0x48, 0x00)); }},
        {"smbus write byte data", [](Handles& h) { return code_of(h.bus.write_byte_data(0x48, 0x01, 0x00)); }},
        {"i2c nack", [](Handles& h) { return code_of(h.bus.read_byte(0x23)); }},
        {"i2c set bitrate", [](Handles& h) { return code_of(h.bus.set_bitrate(400000)); }},
        {"i2c get bitrate", [](Handles& h) { return code_of(h.bus.bitrate()); }},
    };
    return ops;
}

struct Rig {
    Context ctx;
    std::shared_ptr<sim::Adapter> adapter;
    Handles h;
    std::atomic<int> removed{0};
    Subscription sub;

    explicit Rig(const char* chip = "cp2112") {
        sub = ctx.subscribe([this](const Event& e) {
            if (e.type == Event::Type::removed) removed++;
        });
        adapter = sim::attach(ctx, chip).value();
        h.dev = ctx.find("0").value();
        h.chip = h.dev.gpio_chip().value();
        h.bus = h.dev.i2c_bus().value();
        h.outputs = h.chip.request_lines({"out", {{0, {Direction::output}}, {1, {Direction::output}}}}).value();
        h.inputs = h.chip.request_lines({"in", {{4, {}}, {5, {}}}}).value();
    }
};

// Runs op on another thread and waits a bounded time: a hang is a failure,
// not a stuck test run.
std::error_code run_bounded(const Op& op, Handles& h, bool& hung) {
    auto f = std::async(std::launch::async, [&] { return op(h); });
    hung = f.wait_for(20s) != std::future_status::ready;
    if (hung) std::abort();  // cannot join a hung call; fail loudly with the test named in the log
    return f.get();
}

void expect_all_enodev(Handles& h, const char* name, uint64_t k) {
    uint8_t b[2];
    SCOPED_TRACE(std::string(name) + " unplugged at transfer " + std::to_string(k));
    EXPECT_EQ(h.outputs.set_value(0, 1).code(), std::errc::no_such_device);
    EXPECT_EQ(h.inputs.get_values().code(), std::errc::no_such_device);
    EXPECT_EQ(h.chip.line_info(0).code(), std::errc::no_such_device);
    EXPECT_EQ(h.chip.request_lines({"late", {{3, {}}}}).code(), std::errc::no_such_device);
    EXPECT_EQ(h.bus.read(0x50, b).code(), std::errc::no_such_device);
    EXPECT_EQ(h.bus.read_word_data(0x48, 0).code(), std::errc::no_such_device);
    EXPECT_EQ(h.bus.bitrate().code(), std::errc::no_such_device);
    EXPECT_EQ(h.dev.state(), DeviceState::gone);
}

class UnplugAtEveryTransfer : public ::testing::TestWithParam<std::tuple<const char*, std::size_t>> {};

TEST_P(UnplugAtEveryTransfer, CallReturnsOkOrEnodevAndHandlesStayValid) {
    const char* chip = std::get<0>(GetParam());
    const NamedOp& nop = operations()[std::get<1>(GetParam())];

    uint64_t transfers = 0;
    {
        Rig rig(chip);
        uint64_t before = rig.adapter->transfer_count();
        bool hung = false;
        ASSERT_FALSE(run_bounded(nop.op, rig.h, hung) && std::string(nop.name) != "i2c nack")
            << nop.name << " fails on a healthy adapter";
        transfers = rig.adapter->transfer_count() - before;
        // A driver may answer from what it knows (an FTDI port's bit rate):
        // then only the unplug after the call is checked.
    }
    // One index past the end too: the unplug then lands on the first later call.
    for (uint64_t k = 1; k <= transfers + 1; ++k) {
        Rig rig(chip);
        const uint64_t start = rig.adapter->transfer_count();
        rig.adapter->unplug_at_transfer(k);
        bool hung = false;
        std::error_code ec = run_bounded(nop.op, rig.h, hung);
        bool nack_op = std::string(nop.name) == "i2c nack";
        EXPECT_TRUE(!ec || ec == std::errc::no_such_device || (nack_op && ec == std::errc::no_such_device_or_address))
            << nop.name << " unplugged at transfer " << k << " returned " << ec.message();
        // The fault did not fire inside the call: past the end, or a call that
        // polled the chip's status fewer times than the healthy run did.
        if (rig.adapter->transfer_count() - start < k) rig.adapter->unplug();
        ASSERT_TRUE(rig.h.dev.wait_gone(20s)) << nop.name << " at " << k << ": removal did not finish";
        expect_all_enodev(rig.h, nop.name, k);
        rig.ctx.settle();
        EXPECT_EQ(rig.removed.load(), 1) << nop.name << " at " << k;
    }
}

INSTANTIATE_TEST_SUITE_P(Chips, UnplugAtEveryTransfer,
                         ::testing::Combine(::testing::Values("cp2112", "ft232h"),
                                            ::testing::Range<std::size_t>(0, operations().size())),
                         [](const auto& info) {
                             std::string n = std::string(std::get<0>(info.param)) + "_" +
                                             operations()[std::get<1>(info.param)].name;
                             for (auto& c : n)
                                 if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

TEST(Unplug, BlockedCallersReturnPromptlyWhenTheAdapterVanishes) {
    // A slow target keeps an I2C read busy; several threads share the handle.
    Rig rig;
    rig.adapter->set_slow(5s);
    std::vector<std::future<std::error_code>> calls;
    for (int i = 0; i < 3; ++i)
        calls.push_back(std::async(std::launch::async, [&] {
            uint8_t b[16];
            return rig.h.bus.read(0x50, b).code();
        }));
    // Wait until at least one read is on the wire (status polls are being made).
    uint64_t start = rig.adapter->transfer_count();
    while (rig.adapter->transfer_count() < start + 4) std::this_thread::yield();
    auto t0 = std::chrono::steady_clock::now();
    rig.adapter->unplug();
    for (auto& c : calls) {
        ASSERT_EQ(c.wait_for(10s), std::future_status::ready);
        EXPECT_EQ(c.get(), std::errc::no_such_device);
    }
    auto took = std::chrono::steady_clock::now() - t0;
    std::printf("unplug to ENODEV for 3 blocked callers: %.3f ms\n",
                std::chrono::duration<double, std::milli>(took).count());
    EXPECT_TRUE(rig.h.dev.wait_gone(10s));
    expect_all_enodev(rig.h, "blocked read", 0);
}

}  // namespace
