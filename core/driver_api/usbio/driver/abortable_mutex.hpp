// SPDX-License-Identifier: Apache-2.0
// A lock for a driver's one-at-a-time exchanges with its chip, which
// Provider::abort_io() can break. Callers queued behind the exchange in
// flight all leave at once when it is aborted, instead of taking the lock
// in turn only to find the device gone: removal then waits for one call,
// not for the queue, however many threads keep calling.
#pragma once

#include <condition_variable>
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

private:
    // Waiting is bounded by the holder's own deadline, or by abort().
    bool acquire() {
        std::unique_lock lk(mu_);
        cv_.wait(lk, [this] { return !held_ || aborted_; });
        if (aborted_) return false;
        held_ = true;
        return true;
    }
    void release() {
        {
            std::lock_guard lk(mu_);
            held_ = false;
        }
        cv_.notify_one();
    }

    std::mutex mu_;
    std::condition_variable cv_;
    bool held_ = false;
    bool aborted_ = false;
};

}  // namespace usbio::driver
