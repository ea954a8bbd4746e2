// SPDX-License-Identifier: Apache-2.0
#include "caller.hpp"

#include <cerrno>

#include "process_stats.hpp"

namespace usbio::hw {

namespace {

constexpr std::size_t kKeptErrors = 5;
// A caller that meets nothing but other errors stops eventually, so a
// scenario that went wrong still ends.
constexpr long kMaxOtherErrors = 1000;
// How often "asleep inside a call" is looked at; /proc gives no event.
constexpr std::chrono::milliseconds kLookInterval{2};

}  // namespace

std::string errno_name(int e) {
    switch (e) {
    case 0: return "ok";
    case ENODEV: return "ENODEV";
    case ENXIO: return "ENXIO";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EIO: return "EIO";
    case EPROTO: return "EPROTO";
    case EINVAL: return "EINVAL";
    case EBUSY: return "EBUSY";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EBADF: return "EBADF";
    case EPIPE: return "EPIPE";
    case ECANCELED: return "ECANCELED";
    default: return "errno " + std::to_string(e);
    }
}

struct Caller::State {
    std::string name;
    Op op;
    mutable std::mutex mu;
    std::condition_variable cv;
    CallerOutcome out;
    bool in_call = false;
    bool stop = false;
    pid_t tid = 0;
};

Caller::Caller(std::string name, Op op) : st_(std::make_shared<State>()) {
    st_->name = name;
    st_->out.name = std::move(name);
    st_->op = std::move(op);
    th_ = std::thread([st = st_] {
        {
            std::lock_guard lk(st->mu);
            st->tid = current_tid();
            st->cv.notify_all();
        }
        for (;;) {
            {
                std::lock_guard lk(st->mu);
                if (st->stop) break;
                st->in_call = true;
                ++st->out.calls;
            }
            std::string message;
            const std::error_code ec = st->op(message);
            const auto at = Clock::now();
            std::unique_lock lk(st->mu);
            st->in_call = false;
            if (!ec) {
                ++st->out.ok_calls;
                st->cv.notify_all();
                continue;
            }
            if (ec.value() == ENODEV) {
                st->out.enodev_at = at;
                st->out.enodev_message = message;
                lk.unlock();
                // Every later call on the handle fails the same way.
                std::string again;
                const std::error_code ec2 = st->op(again);
                lk.lock();
                st->out.later_call_enodev = ec2.value() == ENODEV;
                break;
            }
            ++st->out.other_errors;
            if (st->out.other_error_texts.size() < kKeptErrors)
                st->out.other_error_texts.push_back(errno_name(ec.value()) + ": " + message);
            st->cv.notify_all();
            if (st->out.other_errors >= kMaxOtherErrors) break;
        }
        std::lock_guard lk(st->mu);
        st->out.finished = true;
        st->cv.notify_all();
    });
    std::unique_lock lk(st_->mu);
    st_->cv.wait(lk, [&] { return st_->tid != 0; });
}

Caller::~Caller() {
    {
        std::lock_guard lk(st_->mu);
        st_->stop = true;
    }
    if (wait_finished(Clock::now() + kJoinLimit))
        th_.join();
    else
        th_.detach();  // hung in a call: the scenario has reported it; the state stays alive with the thread
}

const std::string& Caller::name() const { return st_->name; }

pid_t Caller::tid() const {
    std::lock_guard lk(st_->mu);
    return st_->tid;
}

bool Caller::wait_ok_calls(long n, std::chrono::milliseconds timeout) {
    std::unique_lock lk(st_->mu);
    return st_->cv.wait_for(lk, timeout, [&] { return st_->out.ok_calls >= n || st_->out.finished; }) &&
           st_->out.ok_calls >= n;
}

bool Caller::wait_blocked_in_call(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    const pid_t tid = this->tid();
    while (Clock::now() < deadline) {
        {
            std::unique_lock lk(st_->mu);
            if (st_->out.finished) return false;
            // Sleeping while inside the call (the lock is not held across the
            // call, so the thread's sleep is the call's own).
            if (st_->in_call) {
                lk.unlock();
                if (thread_sleeping(tid)) return true;
                lk.lock();
            }
            st_->cv.wait_for(lk, kLookInterval);
        }
    }
    return false;
}

bool Caller::wait_finished(Clock::time_point deadline) {
    std::unique_lock lk(st_->mu);
    return st_->cv.wait_until(lk, deadline, [&] { return st_->out.finished; });
}

CallerOutcome Caller::outcome() const {
    std::lock_guard lk(st_->mu);
    return st_->out;
}

}  // namespace usbio::hw
