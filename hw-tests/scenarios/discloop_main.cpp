// SPDX-License-Identifier: Apache-2.0
// usbio_hw_discloop: many unplug/re-plug cycles of the bench's adapter with
// operations in flight on several threads sharing handles (long EEPROM
// reads, a sensor reader, a GPIO loopback toggler, an edge waiter).
// Counts failures: any error other than ENODEV, a caller still inside a
// call after the unplug (hang), the adapter not coming back or not
// answering after a re-plug. Reports the process's memory (VmRSS),
// descriptors and threads at the start and the end.
//
// usage: usbio_hw_discloop [--cycles N] [--seconds S] [--max-rss-growth-kb K]
// (defaults from USBIO_HW_DISCLOOP_CYCLES=50, USBIO_HW_DISCLOOP_SECONDS=600,
// USBIO_HW_DISCLOOP_MAX_RSS_GROWTH_KB=2048); the bench as for usbio_hw_tests.
// Exit: 0 no failures, 1 failures, 2 usage, 77 no adapter or no way to unplug.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "bench_config.hpp"
#include "process_stats.hpp"
#include "scenario_ops.hpp"
#include "session.hpp"
#include "unplug_cycle.hpp"

using namespace usbio;
using namespace usbio::hw;
using namespace std::chrono_literals;

namespace {

struct Args {
    long cycles = 50;
    long seconds = 600;
    long max_rss_growth_kb = 2048;
};

long env_long(const char* name, long fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::strtol(v, nullptr, 0) : fallback;
}

bool parse_args(int argc, char** argv, Args& a) {
    a.cycles = env_long("USBIO_HW_DISCLOOP_CYCLES", a.cycles);
    a.seconds = env_long("USBIO_HW_DISCLOOP_SECONDS", a.seconds);
    a.max_rss_growth_kb = env_long("USBIO_HW_DISCLOOP_MAX_RSS_GROWTH_KB", a.max_rss_growth_kb);
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        long* into = arg == "--cycles"              ? &a.cycles
                     : arg == "--seconds"           ? &a.seconds
                     : arg == "--max-rss-growth-kb" ? &a.max_rss_growth_kb
                                                    : nullptr;
        if (!into || i + 1 >= argc) {
            std::fprintf(stderr, "usage: usbio_hw_discloop [--cycles N] [--seconds S] [--max-rss-growth-kb K]\n");
            return false;
        }
        char* end = nullptr;
        *into = std::strtol(argv[++i], &end, 10);
        if (*end || *into <= 0) {
            std::fprintf(stderr, "usbio_hw_discloop: %s wants a positive number\n", arg.c_str());
            return false;
        }
    }
    return true;
}

struct Stats {
    std::vector<double> v;
    void add(double x) { v.push_back(x); }
    std::string text() {
        if (v.empty()) return "none";
        std::sort(v.begin(), v.end());
        char b[96];
        std::snprintf(b, sizeof b, "min=%.1f median=%.1f p95=%.1f max=%.1f n=%zu", v.front(), v[v.size() / 2],
                      v[std::min(v.size() - 1, v.size() * 95 / 100)], v.back(), v.size());
        return b;
    }
};

// The callers of one cycle, on handles opened on `dev`; `req` keeps the
// line request the GPIO callers share.
std::vector<CallerSpec> make_callers(const Device& dev, const BenchConfig& cfg, std::optional<LineRequest>& req,
                                     std::string& error) {
    std::vector<CallerSpec> callers;
    auto bus = dev.i2c_bus(0);
    if (!bus) {
        error = bus.error().message;
        return {};
    }
    if (cfg.eeprom_addr) {
        callers.push_back({"eeprom_read_512", eeprom_reader(*bus, cfg, 0, 512), false});
        callers.push_back({"eeprom_read_64", eeprom_reader(*bus, cfg, 0x0200, 64), false});
    }
    if (cfg.sensor_addr) {
        std::string msg;
        auto probe = sensor_reader(*bus, *cfg.sensor_addr);
        if (!probe(msg) || cfg.sensor_required) callers.push_back({"sensor_read", std::move(probe), false});
    }
    if (!cfg.loopback.empty()) {
        auto chip = dev.gpio_chip(0);
        if (!chip) {
            error = chip.error().message;
            return {};
        }
        const LoopbackPair p = cfg.loopback.front();
        auto r = chip->request_lines(loopback_request(p, Edge::both, "usbio_hw_discloop"));
        if (!r) {
            error = r.error().message;
            return {};
        }
        req = *r;
        callers.push_back({"gpio_toggle", loopback_toggler(*req, p), false});
        callers.push_back({"edge_wait", edge_waiter(*req, 60s), false});
    }
    return callers;
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    if (!parse_args(argc, argv, args)) return 2;
    const BenchConfig cfg = load_config();
    for (const auto& p : cfg.problems) std::fprintf(stderr, "usbio_hw_discloop: %s\n", p.c_str());
    if (!cfg.problems.empty()) return 2;
    if (!cfg.adapter_named()) {
        std::printf("usbio_hw_discloop: no adapter named (%s): skipped\n", cfg.serial_env.c_str());
        return 77;
    }
    setvbuf(stdout, nullptr, _IOLBF, 0);

    const long rss_at_start = rss_kb();
    const auto started = Clock::now();
    auto s = Session::start();
    if (!s) {
        std::printf("DISCLOOP-FAIL cannot attach USB adapters: %s\n", s.error().message.c_str());
        return 1;
    }
    std::unique_ptr<Session> session = std::move(s).value();
    auto first = session->wait_for(cfg.serial, cfg.replug_limit);
    if (!first) {
        std::printf("DISCLOOP-FAIL %s\n", first.error().message.c_str());
        return 1;
    }
    Device dev = *first;
    std::string why;
    auto unplugger = make_unplugger(cfg, dev.info().path, why);
    if (!unplugger) {
        std::printf("usbio_hw_discloop: cannot unplug the adapter (%s): skipped\n", why.c_str());
        return 77;
    }
    std::printf("DISCLOOP: %s, unplug by %s, up to %ld cycles in %ld s\n", dev.info().display_name().c_str(),
                unplugger->describe().c_str(), args.cycles, args.seconds);

    long cycles = 0, failures = 0, hangs = 0, reopen_failures = 0;
    long rss_after_first = -1, fds_after_first = -1, threads_after_first = -1;
    std::map<std::string, Stats> enodev;
    Stats removed, replug;
    bool stop = false;
    while (!stop && cycles < args.cycles && Clock::now() - started < std::chrono::seconds(args.seconds)) {
        ++cycles;
        std::vector<std::string> cycle_failures;
        CycleResult r;
        {
            std::optional<LineRequest> req;
            std::string error;
            auto callers = make_callers(dev, cfg, req, error);
            if (!error.empty()) {
                cycle_failures.push_back("opening handles on the adapter: " + error);
                ++reopen_failures;
                stop = true;
            } else {
                CycleOptions o;
                o.scenario = "cycle " + std::to_string(cycles);
                o.print = false;
                r = run_unplug_cycle(*session, dev, *unplugger, cfg, std::move(callers), o);
                cycle_failures = r.failures;
                for (const auto& c : r.callers) {
                    if (c.enodev_ms) enodev[c.outcome.name].add(*c.enodev_ms);
                    if (!c.outcome.finished) {
                        ++hangs;
                        stop = true;  // a thread is stuck in a call: later cycles would not mean much
                    }
                }
                if (r.removed_event_ms) removed.add(*r.removed_event_ms);
                if (r.replug_arrival_ms) replug.add(*r.replug_arrival_ms);
            }
        }
        if (r.fresh) {
            if (auto ok = check_answers(r.fresh, cfg); !ok) {
                cycle_failures.push_back("cycle " + std::to_string(cycles) +
                                         ": the re-plugged adapter does not answer: " + ok.error().message);
                ++reopen_failures;
            }
            dev = r.fresh;
        } else if (!stop) {
            ++reopen_failures;
            stop = true;
            if (cycle_failures.empty())
                cycle_failures.push_back("cycle " + std::to_string(cycles) + ": no adapter after the re-plug");
        }
        failures += static_cast<long>(cycle_failures.size());
        for (const auto& f : cycle_failures) std::printf("DISCLOOP-FAIL %s\n", f.c_str());
        double worst = 0;
        for (const auto& c : r.callers)
            if (c.enodev_ms) worst = std::max(worst, *c.enodev_ms);
        std::printf("DISCLOOP: cycle %ld %s callers=%zu max_unplug_to_enodev_ms=%.1f replug_ms=%.0f rss_kb=%ld\n",
                    cycles, cycle_failures.empty() ? "ok" : "FAILED", r.callers.size(), worst,
                    r.replug_arrival_ms.value_or(-1), rss_kb());
        if (cycles == 1) {
            // After one whole cycle the allocator's arenas and libusb's
            // caches are warm: growth is measured from here.
            rss_after_first = rss_kb();
            fds_after_first = open_fds();
            threads_after_first = thread_count();
        }
    }
    const double seconds = ms_between(started, Clock::now()) / 1000.0;
    const long rss_end = rss_kb();
    const long fds_end = open_fds();
    const long threads_end = thread_count();
    const long growth = rss_after_first >= 0 ? rss_end - rss_after_first : 0;

    std::printf("DISCLOOP-RESULT cycles=%ld\n", cycles);
    std::printf("DISCLOOP-RESULT failures=%ld\n", failures);
    std::printf("DISCLOOP-RESULT hangs=%ld\n", hangs);
    std::printf("DISCLOOP-RESULT reopen_failures=%ld\n", reopen_failures);
    std::printf("DISCLOOP-RESULT seconds=%.1f\n", seconds);
    for (auto& [name, st] : enodev)
        std::printf("DISCLOOP-RESULT unplug_to_enodev_ms[%s]=%s\n", name.c_str(), st.text().c_str());
    std::printf("DISCLOOP-RESULT removed_event_ms=%s\n", removed.text().c_str());
    std::printf("DISCLOOP-RESULT replug_to_arrival_ms=%s\n", replug.text().c_str());
    std::printf("DISCLOOP-RESULT rss_kb start=%ld after_first_cycle=%ld end=%ld growth=%ld\n", rss_at_start,
                rss_after_first, rss_end, growth);
    std::printf("DISCLOOP-RESULT fds after_first_cycle=%ld end=%ld\n", fds_after_first, fds_end);
    std::printf("DISCLOOP-RESULT threads after_first_cycle=%ld end=%ld\n", threads_after_first, threads_end);

    bool ok = failures == 0 && hangs == 0 && reopen_failures == 0;
    if (growth > args.max_rss_growth_kb) {
        std::printf("DISCLOOP-FAIL VmRSS grew by %ld KiB over %ld cycles (limit %ld KiB)\n", growth, cycles,
                    args.max_rss_growth_kb);
        ok = false;
    }
    if (fds_after_first >= 0 && fds_end > fds_after_first) {
        std::printf("DISCLOOP-FAIL %ld more open descriptors than after the first cycle\n", fds_end - fds_after_first);
        ok = false;
    }
    std::printf("DISCLOOP-RESULT verdict=%s\n", ok ? "pass" : "fail");
    // A caller stuck in a call holds handles; leave without destructors.
    if (hangs) std::_Exit(1);
    return ok ? 0 : 1;
}
