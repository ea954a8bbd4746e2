// SPDX-License-Identifier: Apache-2.0
// A misbehaving adapter: input reports that come malformed, late (after the
// driver has given up on them) or unasked for, in a flood. Before every call
// the sensor is set to a temperature it has not had in the scenario, so an
// answer is either that value or an error; anything else is wrong data.
// Once the fault has passed, the next call answers right.
#include <chrono>
#include <cstdio>
#include <cstring>

#include "hw_fixture.hpp"
#include "shell_command.hpp"

namespace usbio::hw {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kCommandLimit = 30s;
// Far beyond any call's own budget (well under a second): a call that takes
// this long is as good as hung.
constexpr auto kCallLimit = 5s;
// The LM75's temperature register.
constexpr uint8_t kTempRegister = 0x00;

// "ETIMEDOUT": a word, for the measure lines.
std::string errno_name(int e) {
    const char* name = strerrorname_np(e);
    return name ? name : "errno_" + std::to_string(e);
}

struct Outcome {
    Result<void> result;
    uint16_t value = 0;  // the register as read, when the call succeeded
    Clock::duration took{};
};

class FaultTest : public HwTest {
protected:
    void SetUp() override {
        HwTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        if (cfg.fault_cmd.empty()) GTEST_SKIP() << "no way to make the adapter misbehave: set USBIO_HW_FAULT_CMD";
        if (!cfg.sensor_addr || !cfg.sensor_required)
            GTEST_SKIP()
                << "needs the sensor named in USBIO_HW_SENSOR_ADDR (its value is set through the fault command)";
        auto b = dev.i2c_bus(0);
        ASSERT_TRUE(b) << b.error().message;
        bus = *b;
    }

    // Runs the fault command with `words` appended.
    void fault(const std::string& words) {
        const std::string cmd = cfg.fault_cmd + " " + words;
        auto r = run_shell(cmd, kCommandLimit);
        ASSERT_TRUE(r.ok()) << "'" << cmd << "': " << r.describe();
    }

    // Sets a temperature not used before in this scenario; returns the
    // register value it reads as (whole degrees in the high byte).
    uint16_t fresh_temperature() {
        const int celsius = 20 + ++step_;
        fault("temperature " + std::to_string(celsius * 1000));
        return static_cast<uint16_t>(celsius << 8);
    }

    Outcome read_sensor() {
        Outcome o;
        const uint8_t reg[1] = {kTempRegister};
        uint8_t got[2] = {};
        const auto t0 = Clock::now();
        o.result = bus.write_read(*cfg.sensor_addr, reg, got);
        o.took = Clock::now() - t0;
        o.value = static_cast<uint16_t>((got[0] << 8) | got[1]);
        return o;
    }

    // Asserts: the call came back within kCallLimit with `expected` or an
    // error. Prints what it was, under `what`.
    void expect_right_or_error(const std::string& what, uint16_t expected, const Outcome& o) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(o.took).count();
        char value[16];
        std::snprintf(value, sizeof value, "0x%04x", o.value);
        if (o.result)
            measure(what, std::string(o.value == expected ? "right" : "WRONG_") + (o.value == expected ? "" : value) +
                              "_after_" + std::to_string(ms) + "ms");
        else
            measure(what, errno_name(o.result.code().value()) + "_after_" + std::to_string(ms) + "ms");
        EXPECT_LT(o.took, kCallLimit) << what << ": the call took " << ms << " ms";
        if (o.result) {
            char want[16];
            std::snprintf(want, sizeof want, "0x%04x", expected);
            EXPECT_EQ(o.value, expected) << what << ": wrong data: read " << value << ", the sensor holds " << want;
        }
    }

    // Asserts: with the fault over, a call answers with the sensor's value.
    void expect_recovered(const std::string& what) {
        const uint16_t t = fresh_temperature();
        const Outcome o = read_sensor();
        EXPECT_TRUE(o.result) << what << ": the call after the fault failed: " << o.result.error().message;
        expect_right_or_error(what + "_next_call", t, o);
    }

    I2cBus bus;
    int step_ = 0;
};

// Asserts: for each way an input report can be broken (cut short, an
// over-long length field, a bad status, a wrong report ID), the call that
// gets it returns the sensor's value or an error, within 5 s; the next call
// returns the sensor's new value.
TEST_F(FaultTest, MalformedReport) {
    asserts(
        "a malformed input report makes the call fail (or not matter), never return wrong data or hang; "
        "the next call answers right");
    for (const std::string kind : {"short", "length", "status", "id"}) {
        const uint16_t t = fresh_temperature();
        fault("malform " + kind);
        if (HasFatalFailure()) return;
        expect_right_or_error("malform_" + kind, t, read_sensor());
        expect_recovered("malform_" + kind);
    }
}

// Asserts: when the data report of a read comes 0.9 s or 1.2 s late (after
// the call gave up), that call and one made at once after it (while the
// late report is still on its way) each return the sensor's value at their
// time or an error, within 5 s; once the late report has come, the next
// call returns the sensor's new value.
TEST_F(FaultTest, LateDataReport) {
    asserts(
        "a data report that comes after the call gave up is never taken as a later call's answer; "
        "the call after it answers right");
    for (const std::string ms : {"900", "1200"}) {
        const uint16_t t1 = fresh_temperature();
        fault("late " + ms + " 0x13");
        if (HasFatalFailure()) return;
        expect_right_or_error("late_" + ms + "ms_call", t1, read_sensor());
        const uint16_t t2 = fresh_temperature();
        expect_right_or_error("late_" + ms + "ms_following_call", t2, read_sensor());
        fault("wait-late");
        if (HasFatalFailure()) return;
        expect_recovered("late_" + ms + "ms");
    }
}

// Asserts: while 200 unasked-for input reports pour in (transfer status
// responses, then data read responses, full of zeros), a call returns the
// sensor's value or an error within 5 s; once they have all come, the next
// call returns the sensor's new value.
TEST_F(FaultTest, FloodOfStrayReports) {
    asserts("a flood of stray input reports never becomes an answer or a hang; the call after it answers right");
    for (const std::string id : {"0x16", "0x13"}) {
        const uint16_t t = fresh_temperature();
        fault("stray 200 " + id);
        if (HasFatalFailure()) return;
        expect_right_or_error("stray_" + id, t, read_sensor());
        fault("wait-strays");
        if (HasFatalFailure()) return;
        expect_recovered("stray_" + id);
    }
}

}  // namespace
}  // namespace usbio::hw
