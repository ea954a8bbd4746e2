// SPDX-License-Identifier: Apache-2.0
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "opaque_ops.hpp"
#include "revocable.hpp"
#include "revocable_cases.hpp"

namespace usbio::bench {

namespace {

using Rev = detail::Revocable<const Ops>;

// Each iteration builds a fresh revocable (a few atomics, a mutex and a
// condition variable: nanoseconds) because a revoked one cannot be re-armed.
void revoke_drain_once(const Ops& ops) {
    Rev rev(&ops);
    benchmark::DoNotOptimize(rev.revoke());
    rev.drain();
}

void revoke_drain_idle(benchmark::State& state) {
    const Ops& ops = opaque_ops();
    for (auto _ : state) revoke_drain_once(ops);
}

void revoke_drain_busy_peer(benchmark::State& state) {
    const Ops& ops = opaque_ops();
    static Rev other(&ops);
    std::atomic<bool> stop{false};
    std::atomic<bool> running{false};
    std::thread peer([&] {
        int v = 0;
        while (!stop.load(std::memory_order_relaxed)) {
            for (int i = 0; i < 1000; ++i) {
                auto g = other.enter();
                if (g) v = g->call(v);
            }
            running.store(true, std::memory_order_relaxed);
        }
        benchmark::DoNotOptimize(v);
    });
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!running.load(std::memory_order_relaxed) && std::chrono::steady_clock::now() < give_up)
        std::this_thread::yield();
    if (!running.load()) state.SkipWithError("peer thread did not start");

    for (auto _ : state) revoke_drain_once(ops);

    stop.store(true);
    peer.join();
}

void configure(benchmark::internal::Benchmark* b) {
    b->UseRealTime()->MinTime(0.05)->Repetitions(5)->DisplayAggregatesOnly(true)->Unit(benchmark::kMicrosecond);
}

}  // namespace

void register_revoke_cases() {
    configure(benchmark::RegisterBenchmark("revoke_drain_idle", revoke_drain_idle));
    configure(benchmark::RegisterBenchmark("revoke_drain_busy_peer", revoke_drain_busy_peer));
}

}  // namespace usbio::bench
