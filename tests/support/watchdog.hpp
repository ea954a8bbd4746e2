// SPDX-License-Identifier: Apache-2.0
// A hang in a concurrency test must fail the test, with every thread's
// stack, instead of running into ctest's timeout with nothing to show.
// The watchdog is armed for a scope; if the scope has not ended within the
// limit it prints the test's name, asks gdb (when installed) for all thread
// stacks of this process, and aborts.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace usbio::test {

class Watchdog {
public:
    explicit Watchdog(std::chrono::seconds limit) {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "?";
        thread_ = std::thread([this, limit, name] {
            std::unique_lock lk(mu_);
            if (cv_.wait_for(lk, limit, [this] { return done_; })) return;
            std::fprintf(stderr, "watchdog: %s still running after %lds: hang; thread stacks follow\n", name.c_str(),
                         static_cast<long>(limit.count()));
            std::string cmd =
                "gdb -q -batch -p " + std::to_string(::getpid()) + " -ex 'thread apply all bt' 1>&2 2>/dev/null";
            if (std::system("command -v gdb >/dev/null 2>&1") == 0) {
                int rc = std::system(cmd.c_str());
                (void)rc;  // aborting anyway
            }
            std::abort();
        });
    }
    ~Watchdog() {
        {
            std::lock_guard lk(mu_);
            done_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

private:
    std::mutex mu_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread thread_;
};

}  // namespace usbio::test
