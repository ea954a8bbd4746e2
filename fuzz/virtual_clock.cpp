// SPDX-License-Identifier: Apache-2.0
#include "virtual_clock.hpp"

#include <pthread.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <ctime>

namespace usbio::fuzz::virtual_clock {

namespace {

constexpr int64_t kNsPerSec = 1'000'000'000;
// Far from zero, so code that subtracts from "now" stays positive.
std::atomic<int64_t> g_now_ns{1000 * kNsPerSec};
std::atomic<int> g_pending{0};
thread_local bool t_virtual = false;

// While transport work is pending, how long a virtual wait waits for real:
// only an upper bound, the work's completion notifies the waiter.
constexpr int64_t kPendingPollNs = 1'000'000;

void advance_to(int64_t t) noexcept {
    int64_t cur = g_now_ns.load();
    while (cur < t && !g_now_ns.compare_exchange_weak(cur, t)) {
    }
}

timespec real_deadline(int64_t from_now_ns) {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    const int64_t ns = ts.tv_nsec + from_now_ns;
    ts.tv_sec += static_cast<time_t>(ns / kNsPerSec);
    ts.tv_nsec = static_cast<long>(ns % kNsPerSec);
    return ts;
}

}  // namespace

Scope::Scope() { t_virtual = true; }
Scope::~Scope() { t_virtual = false; }

void work_added() noexcept { g_pending.fetch_add(1); }
void work_done() noexcept { g_pending.fetch_sub(1); }

int64_t now_ns() noexcept { return g_now_ns.load(); }

int clockwait(pthread_cond_t* cond, pthread_mutex_t* mutex, clockid_t clock, const timespec* abstime) {
    if (clock != CLOCK_MONOTONIC) return pthread_cond_timedwait(cond, mutex, abstime);  // realtime
    const int64_t deadline = abstime->tv_sec * kNsPerSec + abstime->tv_nsec;
    const int64_t now = g_now_ns.load();
    if (t_virtual) {
        if (deadline <= now) return ETIMEDOUT;
        if (g_pending.load() == 0) {
            // Nothing can happen before the deadline: go there.
            advance_to(deadline);
            return ETIMEDOUT;
        }
        timespec ts = real_deadline(kPendingPollNs);
        return pthread_cond_timedwait(cond, mutex, &ts);
    }
    // Any other thread waits the same length of real time.
    timespec ts = real_deadline(deadline > now ? deadline - now : 0);
    return pthread_cond_timedwait(cond, mutex, &ts);
}

}  // namespace usbio::fuzz::virtual_clock

// The definitions the fuzz binary uses instead of libstdc++'s and glibc's
// (an executable's own definitions win over a shared library's).
// std::condition_variable's timed waits on steady_clock end up in
// pthread_cond_clockwait(CLOCK_MONOTONIC).
std::chrono::steady_clock::time_point std::chrono::steady_clock::now() noexcept {
    return time_point(duration(usbio::fuzz::virtual_clock::now_ns()));
}

extern "C" int pthread_cond_clockwait(pthread_cond_t* __restrict cond, pthread_mutex_t* __restrict mutex,
                                      clockid_t clock, const struct timespec* __restrict abstime) {
    return usbio::fuzz::virtual_clock::clockwait(cond, mutex, clock, abstime);
}
