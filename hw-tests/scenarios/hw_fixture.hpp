// SPDX-License-Identifier: Apache-2.0
// The fixture every bench scenario starts from: the configuration, a fresh
// Context with the machine's adapters attached, and the named adapter.
// Without an adapter named every scenario skips.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "bench_config.hpp"
#include "session.hpp"
#include "unplugger.hpp"
#include "usbio/usbio.hpp"

namespace usbio::hw {

// Loaded once, before the first test.
const BenchConfig& config();

class HwTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;
    // Says what the scenario asserts, in the output (the comment above each
    // test says the same).
    void asserts(const std::string& text);
    void measure(const std::string& key, const std::string& value);

    const BenchConfig& cfg = config();
    std::unique_ptr<Session> session;
    Device dev;
};

// Scenarios that unplug the adapter: skip when there is no way to.
class UnplugTest : public HwTest {
protected:
    void SetUp() override;
    std::unique_ptr<Unplugger> unplugger;
};

}  // namespace usbio::hw
