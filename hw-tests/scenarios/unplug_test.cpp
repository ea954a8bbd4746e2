// SPDX-License-Identifier: Apache-2.0
// Unplug with calls in flight, then re-plug. Each scenario prints, for
// every caller, the time from the start of the unplug to its ENODEV
// (USBIO-HW-MEASURE ... unplug_to_enodev_ms=), and the removed event's.
#include <poll.h>

#include <cerrno>

#include "hw_fixture.hpp"
#include "scenario_ops.hpp"
#include "unplug_cycle.hpp"

namespace usbio::hw {
namespace {

using namespace std::chrono_literals;

// An edge wait far longer than any scenario: only the unplug ends it.
constexpr std::chrono::milliseconds kLongWait = 60s;
// The CP2112 reads at most 512 bytes in one transaction: the longest read.
constexpr std::size_t kLongRead = 512;

void expect_cycle_ok(const CycleResult& r) {
    for (const auto& f : r.failures) ADD_FAILURE() << f;
}

// The re-plugged adapter works when opened afresh.
void expect_fresh_open_works(const CycleResult& r, const BenchConfig& cfg) {
    if (!r.fresh) return;  // a failure was recorded already
    EXPECT_TRUE(r.fresh.present());
    auto ok = check_answers(r.fresh, cfg);
    EXPECT_TRUE(ok) << "the re-plugged adapter does not answer: " << ok.error().message;
}

RequestConfig edge_request(const BenchConfig& cfg) {
    RequestConfig rc;
    rc.consumer = "usbio_hw";
    LineSettings in;
    in.direction = Direction::input;
    in.edge = Edge::both;
    // The input of the first jumper, else GPIO.0: nothing drives it here,
    // so no edge wakes the waiter before the unplug.
    rc.lines.push_back({cfg.loopback.empty() ? 0u : cfg.loopback.front().in, in});
    return rc;
}

// Asserts: a thread reading 512 bytes from the EEPROM in a loop (or the
// sensor, without an EEPROM) gets ENODEV, and no other error, within
// USBIO_HW_ENODEV_LIMIT_MS of the unplug; a call after that fails with
// ENODEV too; the device reaches gone and its removed event arrives; after
// the re-plug the adapter is back as a new device that answers, and the old
// handle still fails with ENODEV.
TEST_F(UnplugTest, DuringI2cRead) {
    if (!cfg.eeprom_addr && !cfg.sensor_addr) GTEST_SKIP() << "no I2C target configured";
    asserts("a looping long I2C read gets ENODEV (nothing else) within " + std::to_string(cfg.enodev_limit.count()) +
            " ms of the unplug; removed event; re-plugged adapter answers; old handle stays ENODEV");
    auto bus = dev.i2c_bus(0);
    ASSERT_TRUE(bus) << bus.error().message;
    std::vector<CallerSpec> callers;
    if (cfg.eeprom_addr)
        callers.push_back({"eeprom_read_512", eeprom_reader(*bus, cfg, 0, kLongRead), false});
    else
        callers.push_back({"sensor_read", sensor_reader(*bus, *cfg.sensor_addr), false});

    const CycleResult r = run_unplug_cycle(*session, dev, *unplugger, cfg, std::move(callers), {"i2c_read"});
    expect_cycle_ok(r);
    EXPECT_EQ(dev.state(), DeviceState::gone);
    uint8_t b[4];
    EXPECT_EQ(bus->read(cfg.eeprom_addr ? *cfg.eeprom_addr : *cfg.sensor_addr, b).code().value(), ENODEV)
        << "the old handle after the re-plug";
    expect_fresh_open_works(r, cfg);
}

// Asserts: a thread blocked in LineRequest::wait_edge_events with a 60 s
// timeout (asleep inside the call when the adapter goes) returns ENODEV
// within USBIO_HW_ENODEV_LIMIT_MS of the unplug, its edge event fd becomes
// readable, and the re-plugged adapter answers.
TEST_F(UnplugTest, DuringBlockedEdgeWait) {
    asserts("a thread blocked in wait_edge_events(60 s) returns ENODEV within " +
            std::to_string(cfg.enodev_limit.count()) + " ms of the unplug; re-plugged adapter answers");
    auto chip = dev.gpio_chip(0);
    ASSERT_TRUE(chip) << chip.error().message;
    auto req = chip->request_lines(edge_request(cfg));
    ASSERT_TRUE(req) << req.error().message;

    std::vector<CallerSpec> callers;
    callers.push_back({"edge_wait_60s", edge_waiter(*req, kLongWait), true});
    const CycleResult r = run_unplug_cycle(*session, dev, *unplugger, cfg, std::move(callers), {"edge_wait"});
    expect_cycle_ok(r);
    pollfd p{req->edge_event_fd(), POLLIN, 0};
    EXPECT_EQ(poll(&p, 1, 0), 1) << "the edge event fd is not readable after the stream ended";
    EXPECT_EQ(req->wait_edge_events(0ms).code().value(), ENODEV);
    expect_fresh_open_works(r, cfg);
}

// Asserts: with one I2cBus handle and one LineRequest handle shared by
// several threads (two long EEPROM readers, a sensor reader, a thread
// toggling a jumper's output and reading its input back, a thread waiting
// for edges on that input), every thread ends with ENODEV and no other
// error within USBIO_HW_ENODEV_LIMIT_MS of the unplug; the re-plugged
// adapter answers.
TEST_F(UnplugTest, WhileThreadsShareOneHandle) {
    asserts("every thread sharing one I2C and one GPIO handle ends with ENODEV (nothing else) within " +
            std::to_string(cfg.enodev_limit.count()) + " ms of the unplug; re-plugged adapter answers");
    auto bus = dev.i2c_bus(0);
    ASSERT_TRUE(bus) << bus.error().message;
    auto chip = dev.gpio_chip(0);
    ASSERT_TRUE(chip) << chip.error().message;

    std::vector<CallerSpec> callers;
    if (cfg.eeprom_addr) {
        callers.push_back({"eeprom_read_a", eeprom_reader(*bus, cfg, 0, kLongRead), false});
        callers.push_back({"eeprom_read_b", eeprom_reader(*bus, cfg, 0x0200, 64), false});
    }
    if (cfg.sensor_addr) {
        // The sensor is optional by default: only a reader when it answers.
        std::string msg;
        auto probe = sensor_reader(*bus, *cfg.sensor_addr);
        if (!probe(msg) || cfg.sensor_required) callers.push_back({"sensor_read", std::move(probe), false});
    }
    std::optional<LineRequest> req;
    if (!cfg.loopback.empty()) {
        const LoopbackPair p = cfg.loopback.front();
        auto r = chip->request_lines(loopback_request(p, Edge::both));
        ASSERT_TRUE(r) << r.error().message;
        req = *r;
        callers.push_back({"gpio_toggle", loopback_toggler(*req, p), false});
        // Woken by the toggler's edges: it is in and out of the wait all along.
        callers.push_back({"edge_wait", edge_waiter(*req, kLongWait), false});
    } else {
        auto r = chip->request_lines(edge_request(cfg));
        ASSERT_TRUE(r) << r.error().message;
        req = *r;
        callers.push_back({"edge_wait_60s", edge_waiter(*req, kLongWait), true});
    }
    ASSERT_GE(callers.size(), 2u) << "the bench gives fewer than two callers";

    const CycleResult r = run_unplug_cycle(*session, dev, *unplugger, cfg, std::move(callers), {"shared_handle"});
    expect_cycle_ok(r);
    expect_fresh_open_works(r, cfg);
}

// Asserts: after an unplug and re-plug with nothing in flight, the adapter
// comes back within USBIO_HW_REPLUG_TIMEOUT_MS; the old Device is gone and
// its handles fail with ENODEV; a fresh open of GPIO and I2C on the new
// Device works; and a second, newly attached Context finds it too.
TEST_F(UnplugTest, ReplugThenFreshOpenWorks) {
    asserts(
        "after unplug and re-plug the adapter is a new device that answers; old handles fail with ENODEV; "
        "a new Context finds it");
    auto bus = dev.i2c_bus(0);
    ASSERT_TRUE(bus) << bus.error().message;
    const CycleResult r = run_unplug_cycle(*session, dev, *unplugger, cfg, {}, {"replug"});
    expect_cycle_ok(r);
    ASSERT_TRUE(r.fresh);
    EXPECT_EQ(dev.state(), DeviceState::gone);
    EXPECT_EQ(dev.i2c_bus(0).code().value(), ENODEV);
    uint8_t b[1];
    EXPECT_EQ(bus->read(0x50, b).code().value(), ENODEV);
    expect_fresh_open_works(r, cfg);
    EXPECT_EQ(r.fresh.info().serial, cfg.serial);
    EXPECT_EQ(r.fresh.info().path, dev.info().path) << "re-plugged into the same port";

    // A new Context: what a program started after the re-plug sees.
    const std::string serial = cfg.serial;
    TearDown();
    auto s = Session::start();
    ASSERT_TRUE(s) << s.error().message;
    auto d = (*s)->wait_for(serial, std::chrono::seconds(5));
    ASSERT_TRUE(d) << d.error().message;
    auto ok = check_answers(*d, cfg);
    EXPECT_TRUE(ok) << ok.error().message;
}

}  // namespace
}  // namespace usbio::hw
