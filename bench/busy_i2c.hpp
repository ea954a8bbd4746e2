// SPDX-License-Identifier: Apache-2.0
// A background thread that keeps a slow I2C transfer in flight on the
// fixture's device, so a benchmark can show whether an operation waits for
// calls already inside the device (as a grace period would).
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "handles_fixture.hpp"

namespace usbio::bench {

class BusyI2c {
public:
    // Every transfer of the adapter's I2C engine stays busy for `slow`.
    BusyI2c(SimFixture& fix, std::chrono::microseconds slow);
    ~BusyI2c();
    BusyI2c(const BusyI2c&) = delete;
    BusyI2c& operator=(const BusyI2c&) = delete;

    // False (with `why`) when no transfer got going within a few seconds.
    bool started(std::string& why) const;
    // Transfers the background thread completed.
    long completed() const { return completed_.load(); }

private:
    SimFixture& fix_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> inside_{false};
    std::atomic<long> completed_{0};
    std::string error_;
    std::atomic<bool> failed_{false};
    std::thread thread_;
};

}  // namespace usbio::bench
