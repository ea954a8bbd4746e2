// SPDX-License-Identifier: Apache-2.0
// A lock for a driver's one-at-a-time exchanges with its chip, which
// Provider::abort_io() can break. Callers queued behind the exchange in
// flight all leave at once when it is aborted, instead of taking the lock
// in turn only to find the device gone: removal then waits for one call,
// not for the queue, however many threads keep calling.
//
// Taken in the order asked for: a thread that calls in a tight loop cannot
// keep the lock from one that waits (edge sampling behind a busy user).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace usbio::driver {

class AbortableMutex {
public:
    // Held for a scope; false (not held) once the mutex was aborted.
    class Lock {
    public:
        explicit Lock(AbortableMutex& m) : m_(m), held_(m.acquire()) {}
        ~Lock() {
            if (held_) m_.release();
        }
        Lock(const Lock&) = delete;
        Lock& operator=(const Lock&) = delete;
        explicit operator bool() const noexcept { return held_; }

    private:
        AbortableMutex& m_;
        const bool held_;
    };

    // Wakes every waiter; from now on nobody gets the lock. The holder (if
    // any) keeps it until it leaves.
    void abort() noexcept {
        {
            std::lock_guard lk(mu_);
            aborted_ = true;
        }
        cv_.notify_all();
    }

    // Threads waiting for the lock now (for tests).
    uint64_t waiting() {
        std::lock_guard lk(mu_);
        return next_ - serving_ - (held_ ? 1 : 0);
    }

private:
    // Waiting is bounded by the holders' own deadlines, or by abort().
    bool acquire() {
        std::unique_lock lk(mu_);
        const uint64_t ticket = next_++;
        cv_.wait(lk, [&] { return serving_ == ticket || aborted_; });
        if (aborted_) {
            // Nobody is served any more; a ticket left unserved blocks no one.
            if (serving_ == ticket) ++serving_;
            return false;
        }
        held_ = true;
        return true;
    }
    void release() {
        {
            std::lock_guard lk(mu_);
            held_ = false;
            ++serving_;
        }
        cv_.notify_all();  // the next ticket's holder, whichever thread it is
    }

    std::mutex mu_;
    std::condition_variable cv_;
    uint64_t next_ = 0;     // the ticket the next caller takes
    uint64_t serving_ = 0;  // the ticket that holds, or may take, the lock
    bool held_ = false;
    bool aborted_ = false;
};

}  // namespace usbio::driver
