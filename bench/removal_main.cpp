// SPDX-License-Identifier: Apache-2.0
// usbio_bench_removal: how long Device::remove() takes while N threads call
// the device. Removal waits only for the calls already inside the driver
// when it began. Three kinds of caller show what the time depends on:
//   keep calling   - after ENODEV they go on calling (each call finds the
//                    device gone and leaves at once);
//   stop at ENODEV - they end at their first ENODEV: nothing competes for
//                    the CPU once removal has begun;
//   burn CPU       - after ENODEV they spin without calling usbio: the CPU
//                    is as busy as with "keep calling", but nobody calls.
// If "keep calling" is close to "burn CPU" and far above "stop at ENODEV",
// the time goes to sharing the CPU with N busy threads, not to waiting for
// callers. Public API only, on a simulated CP2112.
//
// Prints, per kind and caller count, the median, min and max of several
// removals.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <thread>
#include <utility>
#include <vector>

#include "usbio/usbio.hpp"

namespace {

using Clock = std::chrono::steady_clock;

enum class After { keep_calling, stop, burn_cpu };

// One removal with `callers` threads looping on a one-byte read; returns
// the time remove() took, in milliseconds, or a negative value on failure.
double one_removal(int callers, After after) {
    usbio::Context ctx;
    auto sim = usbio::sim::attach(ctx, "cp2112");
    if (!sim) return -1;
    auto dev = ctx.find("0");
    if (!dev) return -1;
    auto bus = dev->i2c_bus();
    if (!bus) return -1;
    std::atomic<bool> stop{false};
    std::latch started(callers);
    std::vector<std::thread> ts;
    for (int i = 0; i < callers; ++i)
        ts.emplace_back([&, b = *bus]() mutable {
            bool counted = false;
            while (!stop.load(std::memory_order_relaxed)) {
                bool gone = !b.read_byte(0x48);
                if (!counted) {
                    started.count_down();
                    counted = true;
                }
                if (gone && after == After::stop) return;
                if (gone && after == After::burn_cpu) {
                    volatile unsigned long spins = 0;
                    while (!stop.load(std::memory_order_relaxed)) spins = spins + 1;
                    return;
                }
            }
        });
    started.wait();
    auto t0 = Clock::now();
    dev->remove();
    auto t1 = Clock::now();
    stop = true;
    for (auto& t : ts) t.join();
    return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    int reps = argc > 1 ? std::atoi(argv[1]) : 7;
    std::printf("remove() while N threads call bus.read_byte(0x48) on a simulated CP2112\n");
    std::printf("%-15s %8s %12s %12s %12s\n", "after ENODEV", "callers", "median ms", "min ms", "max ms");
    const std::pair<After, const char*> kinds[] = {
        {After::keep_calling, "keep calling"}, {After::stop, "stop"}, {After::burn_cpu, "burn CPU"}};
    for (const auto& [after, name] : kinds) {
        for (int callers : {0, 1, 8, 16, 32}) {
            if (callers == 0 && after != After::keep_calling) continue;
            std::vector<double> t;
            for (int r = 0; r < reps; ++r) {
                double ms = one_removal(callers, after);
                if (ms < 0) {
                    std::fprintf(stderr, "removal bench: could not set up the simulated adapter\n");
                    return 1;
                }
                t.push_back(ms);
            }
            std::sort(t.begin(), t.end());
            std::printf("%-15s %8d %12.3f %12.3f %12.3f\n", name, callers, t[t.size() / 2], t.front(), t.back());
        }
    }
    return 0;
}
