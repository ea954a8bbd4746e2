// SPDX-License-Identifier: Apache-2.0
// usbio_bench_handles: opening and closing handles costs microseconds, not a
// grace period. Works through the public API only, on a simulated CP2112.
//
// Requesting GPIO lines on a CP2112 talks to the chip (USB control
// transfers), so the program counts the USB transfers each operation makes
// and compares with a plain line read, which costs one transfer: what is
// left over is core's own open/close work, where a grace-period wait would
// show up as milliseconds.
//
// The "during a slow i2c call" cases repeat the open/close operations while
// another thread keeps an I2C transfer in flight on the same device (each
// one made to last kSlow): an open or close that waited for calls already
// inside the device would take about that long.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "busy_i2c.hpp"
#include "handles_fixture.hpp"
#include "median_collector.hpp"

namespace usbio::bench {
namespace {

SimFixture* g_fix = nullptr;
constexpr std::chrono::microseconds kSlow(2000);

struct Case {
    std::string name;
    std::string what;
    // One operation; false (with `err` set) when the API reports a failure.
    std::function<bool(std::string& err)> op;
    bool during_slow_i2c = false;
};

template <class R>
bool check(R&& r, std::string& err) {
    if (r.ok()) return true;
    err = r.error().message;
    return false;
}

std::vector<Case> cases() {
    return {
        {"gpio_get_value", "line get_value (held request)",
         [](std::string& err) { return check(g_fix->held.get_value(0), err); }},
        {"i2c_read_byte_data", "i2c read_byte_data (EEPROM)",
         [](std::string& err) { return check(g_fix->bus.read_byte_data(kEepromAddr, 0), err); }},
        {"gpio_request_release", "GpioChip::request_lines + release",
         [](std::string& err) {
             auto req = g_fix->chip.request_lines(g_fix->request);
             if (!check(req, err)) return false;
             req->release();
             return true;
         }},
        {"i2c_bus_open_close", "Device::i2c_bus open + close",
         [](std::string& err) { return check(g_fix->dev.i2c_bus(0), err); }},
        {"gpio_chip_open_close", "Device::gpio_chip open + close",
         [](std::string& err) { return check(g_fix->dev.gpio_chip(0), err); }},
    };
}

bool is_open_close(const Case& c) {
    return c.name.find("open_close") != std::string::npos || c.name == "gpio_request_release";
}

// The open/close cases again, each marked to run during a slow i2c call.
std::vector<Case> with_busy_variants(const std::vector<Case>& base) {
    std::vector<Case> out = base;
    for (const Case& c : base) {
        if (!is_open_close(c)) continue;
        Case b = c;
        b.name += "_during_i2c";
        b.what += ", i2c busy";
        b.during_slow_i2c = true;
        out.push_back(b);
    }
    return out;
}

void run_case(benchmark::State& state, const Case& c) {
    std::string err;
    std::optional<BusyI2c> busy;
    if (c.during_slow_i2c) {
        busy.emplace(*g_fix, kSlow);
        if (!busy->started(err)) {
            state.SkipWithError(err.c_str());
            return;
        }
    }
    for (auto _ : state) {
        if (!c.op(err)) {
            state.SkipWithError(err.c_str());
            break;
        }
    }
    // Evidence that the slow calls were really going on meanwhile.
    if (busy) state.counters["i2c_calls_meanwhile"] = static_cast<double>(busy->completed());
}

// USB transfers one operation makes, averaged over a few.
double transfers_per_op(const Case& c) {
    constexpr int kOps = 20;
    std::string err;
    const uint64_t before = g_fix->adapter->transfer_count();
    for (int i = 0; i < kOps; ++i)
        if (!c.op(err)) return -1;
    return static_cast<double>(g_fix->adapter->transfer_count() - before) / kOps;
}

}  // namespace
}  // namespace usbio::bench

int main(int argc, char** argv) {
    using namespace usbio::bench;

    std::string why;
    auto fix = make_sim_fixture(why);
    if (!fix) {
        std::fprintf(stderr, "cannot set up the simulated cp2112: %s\n", why.c_str());
        return 1;
    }
    g_fix = fix.get();

    const std::vector<Case> all = with_busy_variants(cases());
    // Counted on an idle device (the busy variants make the same calls).
    std::vector<double> transfers;
    for (const Case& c : all) transfers.push_back(c.during_slow_i2c ? -1 : transfers_per_op(c));

    for (const Case& c : all)
        benchmark::RegisterBenchmark(c.name.c_str(), [&c](benchmark::State& s) { run_case(s, c); })
            ->UseRealTime()
            ->MinTime(0.1)
            ->Repetitions(5)
            ->DisplayAggregatesOnly(true)
            ->Unit(benchmark::kMicrosecond);

    std::vector<std::string> args_store{argv[0], "--benchmark_enable_random_interleaving=true"};
    for (int i = 1; i < argc; ++i) args_store.emplace_back(argv[i]);
    std::vector<char*> args;
    for (auto& s : args_store) args.push_back(s.data());
    args.push_back(nullptr);
    int n = static_cast<int>(args.size()) - 1;
    benchmark::Initialize(&n, args.data());
    if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;

    MedianCollector collector;
    benchmark::RunSpecifiedBenchmarks(&collector);
    benchmark::Shutdown();

    std::printf("\nsimulated %s [%s], medians of repetitions (wall clock)\n", fix->adapter->chip().c_str(),
                fix->adapter->serial().c_str());
    std::printf("  %-48s %12s %14s\n", "operation", "median", "USB transfers");
    double per_transfer_us = -1;
    for (std::size_t i = 0; i < all.size(); ++i) {
        auto m = collector.find(all[i].name, 1);
        char tr[32] = "-";
        if (transfers[i] >= 0) std::snprintf(tr, sizeof tr, "%.1f", transfers[i]);
        if (!m) {
            std::printf("  %-48s %12s %14s\n", all[i].what.c_str(), "-", tr);
            continue;
        }
        const double us = m->real_ns_per_thread / 1000;
        std::printf("  %-48s %9.2f us %14s\n", all[i].what.c_str(), us, tr);
        if (all[i].name == "gpio_get_value" && transfers[i] > 0) per_transfer_us = us / transfers[i];
    }

    // What open/close costs beyond its USB traffic, priced at a line read's
    // cost per transfer. A grace-period wait here would be milliseconds.
    constexpr double kLimitUs = 50;
    std::printf("\nopen/close work beyond its USB transfers (target <= %.0f us: no grace-period wait)\n", kLimitUs);
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i].during_slow_i2c || transfers[i] < 0) continue;
        if (!is_open_close(all[i])) continue;
        auto m = collector.find(all[i].name, 1);
        if (!m || per_transfer_us < 0) continue;
        const double extra = m->real_ns_per_thread / 1000 - transfers[i] * per_transfer_us;
        std::printf("  %-48s %9.2f us  %s%s\n", all[i].what.c_str(), extra, extra <= kLimitUs ? "PASS" : "MISS",
                    extra < 0 ? "  (below the transfer estimate: nothing beyond USB)" : "");
    }

    // With a call in flight for kSlow each, an operation that waited for
    // calls inside the device would take a good part of kSlow.
    const double busy_limit_us = static_cast<double>(kSlow.count()) / 4;
    std::printf(
        "\nwhile another thread is inside an i2c call lasting %lld us (target <= %.0f us: no wait\n"
        "for calls in flight)\n",
        static_cast<long long>(kSlow.count()), busy_limit_us);
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (!all[i].during_slow_i2c) continue;
        auto m = collector.find(all[i].name, 1);
        if (!m) continue;
        const double us = m->real_ns_per_thread / 1000;
        std::printf("  %-48s %9.2f us  %s\n", all[i].what.c_str(), us, us <= busy_limit_us ? "PASS" : "MISS");
    }
    return 0;
}
