// SPDX-License-Identifier: Apache-2.0
// usbio_bench_removal: how long Device::remove() takes while N threads keep
// calling the device, before and during the removal. Removal waits only for
// the calls already inside the driver when it began, so the time should not
// grow with the number of callers. Public API only, on a simulated CP2112.
//
// Prints, per caller count, the median, min and max of several removals.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <thread>
#include <vector>

#include "usbio/usbio.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// One removal with `callers` threads looping on a one-byte read; returns
// the time remove() took, in milliseconds, or a negative value on failure.
double one_removal(int callers) {
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
                (void)b.read_byte(0x48);
                if (!counted) {
                    started.count_down();
                    counted = true;
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
    std::printf("remove() while N threads keep calling bus.read_byte(0x48) on a simulated CP2112\n");
    std::printf("%8s %12s %12s %12s\n", "callers", "median ms", "min ms", "max ms");
    for (int callers : {0, 1, 8, 16, 32}) {
        std::vector<double> t;
        for (int r = 0; r < reps; ++r) {
            double ms = one_removal(callers);
            if (ms < 0) {
                std::fprintf(stderr, "removal bench: could not set up the simulated adapter\n");
                return 1;
            }
            t.push_back(ms);
        }
        std::sort(t.begin(), t.end());
        std::printf("%8d %12.3f %12.3f %12.3f\n", callers, t[t.size() / 2], t.front(), t.back());
    }
    return 0;
}
