// SPDX-License-Identifier: Apache-2.0
// Every case calls the same opaque virtual function on the same object from
// all its threads; only what surrounds the call differs. Each shared object
// sits on its own cache lines so cases do not disturb each other.
#include <benchmark/benchmark.h>
#include <urcu/urcu-memb.h>

#include <atomic>
#include <mutex>
#include <shared_mutex>

#include "opaque_ops.hpp"
#include "revocable.hpp"
#include "revocable_cases.hpp"

namespace usbio::bench {

namespace {

struct alignas(128) PlainTarget {
    std::atomic<const Ops*> ops{&opaque_ops()};
};

struct alignas(128) GuardedTarget {
    detail::Revocable<const Ops> ops{&opaque_ops()};
};

struct alignas(128) LockedTarget {
    std::shared_mutex mu;
    const Ops* ops = &opaque_ops();
};

struct alignas(128) RcuTarget {
    const Ops* ops = &opaque_ops();
};

struct Targets {
    PlainTarget plain;
    GuardedTarget guarded;
    LockedTarget locked;
    RcuTarget rcu;
};

Targets& targets() {
    static Targets t;
    return t;
}

// Results feed back into the next call so no iteration can be dropped.
void plain_call(benchmark::State& state) {
    auto& ptr = targets().plain.ops;
    int v = 0;
    for (auto _ : state) {
        const Ops* ops = ptr.load(std::memory_order_acquire);
        v = ops->call(v);
    }
    benchmark::DoNotOptimize(v);
}

void guarded_call(benchmark::State& state) {
    auto& rev = targets().guarded.ops;
    // The thread's first section allocates its record; keep that out of the
    // timed loop.
    { auto warm = rev.enter(); }
    int v = 0;
    bool revoked = false;
    for (auto _ : state) {
        auto g = rev.enter();
        if (g) [[likely]]
            v = g->call(v);
        else
            revoked = true;
    }
    benchmark::DoNotOptimize(v);
    if (revoked) state.SkipWithError("the guarded pointer was revoked");
}

void shared_mutex_call(benchmark::State& state) {
    auto& t = targets().locked;
    int v = 0;
    for (auto _ : state) {
        std::shared_lock lk(t.mu);
        v = t.ops->call(v);
    }
    benchmark::DoNotOptimize(v);
}

void urcu_memb_call(benchmark::State& state) {
    auto& t = targets().rcu;
    urcu_memb_register_thread();
    int v = 0;
    for (auto _ : state) {
        urcu_memb_read_lock();
        const Ops* ops = rcu_dereference(t.ops);
        v = ops->call(v);
        urcu_memb_read_unlock();
    }
    urcu_memb_unregister_thread();
    benchmark::DoNotOptimize(v);
}

void configure(benchmark::internal::Benchmark* b) {
    b->Threads(1)->Threads(2)->UseRealTime()->MinTime(0.1)->Repetitions(5)->DisplayAggregatesOnly(true)->Unit(
        benchmark::kNanosecond);
}

}  // namespace

void register_read_side_cases(bool guard_only) {
    targets();
    configure(benchmark::RegisterBenchmark("plain_call", plain_call));
    configure(benchmark::RegisterBenchmark("guarded_call", guarded_call));
    if (guard_only) return;
    configure(benchmark::RegisterBenchmark("shared_mutex_call", shared_mutex_call));
    configure(benchmark::RegisterBenchmark("urcu_memb_call", urcu_memb_call));
}

}  // namespace usbio::bench
