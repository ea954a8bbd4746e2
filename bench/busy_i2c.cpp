// SPDX-License-Identifier: Apache-2.0
#include "busy_i2c.hpp"

namespace usbio::bench {

BusyI2c::BusyI2c(SimFixture& fix, std::chrono::microseconds slow) : fix_(fix) {
    fix_.adapter->set_slow(slow);
    thread_ = std::thread([this] {
        while (!stop_.load()) {
            inside_.store(true);
            auto r = fix_.bus.read_byte_data(kEepromAddr, 0);
            if (!r) {
                error_ = r.error().message;
                failed_.store(true);
                return;
            }
            completed_.fetch_add(1);
        }
    });
}

BusyI2c::~BusyI2c() {
    stop_.store(true);
    thread_.join();
    fix_.adapter->set_slow(std::chrono::microseconds(0));
}

bool BusyI2c::started(std::string& why) const {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!inside_.load() && !failed_.load() && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
    if (failed_.load()) {
        why = "background i2c transfer failed: " + error_;
        return false;
    }
    if (!inside_.load()) {
        why = "background i2c thread did not start";
        return false;
    }
    return true;
}

}  // namespace usbio::bench
