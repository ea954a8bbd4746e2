// SPDX-License-Identifier: Apache-2.0
#include "unplug_cycle.hpp"

#include <cstdio>

namespace usbio::hw {

double ms_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

namespace {

std::string fmt_ms(double ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", ms);
    return buf;
}

}  // namespace

CycleResult run_unplug_cycle(Session& session, const Device& dev, Unplugger& unplugger, const BenchConfig& config,
                             std::vector<CallerSpec> specs, const CycleOptions& o) {
    CycleResult res;
    auto fail = [&](std::string text) { res.failures.push_back(o.scenario + ": " + std::move(text)); };

    RemovalWatch removal(session.ctx(), dev.info().id);
    std::vector<std::unique_ptr<Caller>> callers;
    for (auto& s : specs) callers.push_back(std::make_unique<Caller>(s.name, std::move(s.op)));

    // Everyone is busy before the cable goes.
    bool ready = true;
    for (std::size_t i = 0; i < callers.size(); ++i) {
        const bool r = specs[i].blocks ? callers[i]->wait_blocked_in_call(o.ready_limit)
                                       : callers[i]->wait_ok_calls(2, o.ready_limit);
        if (!r) {
            const CallerOutcome out = callers[i]->outcome();
            std::string why;
            if (!out.other_error_texts.empty()) why = " (" + out.other_error_texts.front() + ")";
            if (out.enodev_at) why += " (ENODEV before the unplug: " + out.enodev_message + ")";
            fail(callers[i]->name() + " was not " + (specs[i].blocks ? "blocked in its wait" : "running") +
                 " before the unplug" + why);
            ready = false;
        }
    }
    if (!ready) return res;

    PlugGuard plug(unplugger);
    const auto t0 = Clock::now();
    auto un = plug.unplug();
    const auto t1 = Clock::now();
    res.unplug_action_ms = ms_between(t0, t1);
    if (!un) {
        fail("unplug failed: " + un.error().message);
        return res;
    }

    // Generous for hang detection; the limit itself is checked on the figures.
    const auto hang_deadline = t1 + config.enodev_limit * 2 + std::chrono::seconds(5);
    for (auto& c : callers) {
        if (!c->wait_finished(hang_deadline))
            fail(c->name() + " still inside a call " + fmt_ms(ms_between(t0, Clock::now())) +
                 " ms after the unplug (hang)");
        CallerReport r;
        r.outcome = c->outcome();
        if (r.outcome.enodev_at) r.enodev_ms = ms_between(t0, *r.outcome.enodev_at);
        res.callers.push_back(std::move(r));
    }
    if (!dev.wait_gone(config.enodev_limit * 2)) fail("the device did not reach 'gone' after the unplug");
    if (auto at = removal.wait(config.enodev_limit * 2))
        res.removed_event_ms = ms_between(t0, *at);
    else
        fail("no removed event after the unplug");

    for (const auto& r : res.callers) {
        const auto& out = r.outcome;
        if (o.print)
            std::printf(
                "USBIO-HW-MEASURE scenario=%s caller=%s unplug_to_enodev_ms=%s ok_calls_before=%ld other_errors=%ld\n",
                o.scenario.c_str(), out.name.c_str(), r.enodev_ms ? fmt_ms(*r.enodev_ms).c_str() : "none", out.ok_calls,
                out.other_errors);
        for (const auto& t : out.other_error_texts) fail(out.name + " failed with something other than ENODEV: " + t);
        if (!out.finished) continue;  // reported as a hang above
        if (!r.enodev_ms) {
            fail(out.name + " never saw ENODEV");
            continue;
        }
        if (*r.enodev_ms < 0) fail(out.name + " saw ENODEV before the unplug started: " + out.enodev_message);
        if (*r.enodev_ms > static_cast<double>(config.enodev_limit.count()))
            fail(out.name + " took " + fmt_ms(*r.enodev_ms) + " ms to see ENODEV (limit " +
                 std::to_string(config.enodev_limit.count()) + " ms)");
        if (!out.later_call_enodev) fail(out.name + ": a call after the first ENODEV did not fail with ENODEV");
    }
    if (o.print) {
        std::printf("USBIO-HW-MEASURE scenario=%s unplug_action_ms=%s removed_event_ms=%s\n", o.scenario.c_str(),
                    fmt_ms(res.unplug_action_ms).c_str(),
                    res.removed_event_ms ? fmt_ms(*res.removed_event_ms).c_str() : "none");
    }
    callers.clear();  // all ended (or reported hung); none holds a handle now

    if (!o.replug) return res;
    const auto t2 = Clock::now();
    if (auto r = plug.replug(); !r) {
        fail("re-plug failed: " + r.error().message);
        return res;
    }
    auto fresh = session.wait_for(dev.info().serial, config.replug_limit);
    if (!fresh) {
        fail("the adapter did not come back after the re-plug: " + fresh.error().message);
        return res;
    }
    res.replug_arrival_ms = ms_between(t2, Clock::now());
    res.fresh = *fresh;
    if (o.print)
        std::printf("USBIO-HW-MEASURE scenario=%s replug_to_arrival_ms=%s\n", o.scenario.c_str(),
                    fmt_ms(*res.replug_arrival_ms).c_str());
    if (res.fresh == dev) fail("the re-plugged adapter is the old Device, not a new one");
    std::fflush(stdout);
    return res;
}

Result<void> check_answers(const Device& dev, const BenchConfig& c) {
    if (c.eeprom_addr || c.sensor_addr) {
        auto bus = dev.i2c_bus(0);
        if (!bus) return bus.error();
        if (c.eeprom_addr) {
            uint8_t at[2] = {static_cast<uint8_t>(c.eeprom_offset >> 8), static_cast<uint8_t>(c.eeprom_offset)};
            uint8_t b[16];
            const std::span<const uint8_t> a =
                c.eeprom_addr_bytes == 2 ? std::span<const uint8_t>(at, 2) : std::span<const uint8_t>(at + 1, 1);
            return bus->write_read(*c.eeprom_addr, a, b);
        }
        uint8_t pointer = 0;
        uint8_t t[2];
        return bus->write_read(*c.sensor_addr, std::span<const uint8_t>(&pointer, 1), t);
    }
    auto chip = dev.gpio_chip(0);
    if (!chip) return chip.error();
    RequestConfig rc;
    rc.consumer = "usbio_hw";
    rc.lines.push_back({0, {}});
    auto req = chip->request_lines(rc);
    if (!req) return req.error();
    auto v = req->get_values();
    req->release();
    if (!v) return v.error();
    return {};
}

}  // namespace usbio::hw
