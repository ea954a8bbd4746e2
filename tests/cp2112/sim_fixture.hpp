// SPDX-License-Identifier: Apache-2.0
// A Context with one simulated CP2112 attached, and helpers shared by the
// CP2112 tests.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <system_error>

#include "usbio/usbio.hpp"

namespace usbio::test {

// The device version the simulated chip reports: the I2C and fault tests
// run against 2 (data fetched by force-sends) and 3 (Auto Send Read).
#ifndef USBIO_TEST_CP2112_VERSION
#define USBIO_TEST_CP2112_VERSION 2
#endif

class Cp2112Sim : public ::testing::Test {
protected:
    virtual sim::Options options() const {
        sim::Options o;
        o.settings["device-version"] = std::to_string(USBIO_TEST_CP2112_VERSION);
        return o;
    }

    void SetUp() override {
        auto a = sim::attach(ctx, "cp2112", options());
        ASSERT_TRUE(a.ok()) << a.error().message;
        adapter = a.value();
        auto d = ctx.find(adapter->serial());
        ASSERT_TRUE(d.ok()) << d.error().message;
        dev = d.value();
        auto g = dev.gpio_chip();
        ASSERT_TRUE(g.ok()) << g.error().message;
        gpio = g.value();
        auto b = dev.i2c_bus();
        ASSERT_TRUE(b.ok()) << b.error().message;
        bus = b.value();
    }

    Context ctx;
    std::shared_ptr<sim::Adapter> adapter;
    Device dev;
    GpioChip gpio;
    I2cBus bus;
};

inline std::error_code errc(int e) { return std::error_code(e, std::generic_category()); }

// Repeats `op` while it fails with ENXIO (a target busy with an internal
// cycle does not ACK), for at most `limit`. Returns the last result.
template <class Op>
auto retry_while_nack(Op op, std::chrono::milliseconds limit = std::chrono::milliseconds(2000)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    auto r = op();
    while (!r.ok() && r.code() == errc(ENXIO) && std::chrono::steady_clock::now() < end) r = op();
    return r;
}

}  // namespace usbio::test
