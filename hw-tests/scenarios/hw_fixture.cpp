// SPDX-License-Identifier: Apache-2.0
#include "hw_fixture.hpp"

#include <cstdio>

namespace usbio::hw {

const BenchConfig& config() {
    static const BenchConfig c = load_config();
    return c;
}

namespace {

std::string test_name() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return info ? std::string(info->test_suite_name()) + "." + info->name() : "?";
}

}  // namespace

void HwTest::SetUp() {
    if (!cfg.adapter_named())
        GTEST_SKIP() << "no adapter named: set " << cfg.serial_env << " to the serial number of the bench's adapter";
    auto s = Session::start();
    ASSERT_TRUE(s) << "cannot attach USB adapters: " << s.error().message;
    session = std::move(s).value();
    auto d = session->wait_for(cfg.serial, std::chrono::seconds(5));
    ASSERT_TRUE(d) << d.error().message;
    dev = *d;
}

void HwTest::TearDown() {
    dev = Device();
    session.reset();
}

void HwTest::asserts(const std::string& text) {
    std::printf("USBIO-HW-ASSERTS %s: %s\n", test_name().c_str(), text.c_str());
    std::fflush(stdout);
}

void HwTest::measure(const std::string& key, const std::string& value) {
    std::printf("USBIO-HW-MEASURE test=%s %s=%s\n", test_name().c_str(), key.c_str(), value.c_str());
    std::fflush(stdout);
}

void UnplugTest::SetUp() {
    HwTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::string why;
    unplugger = make_unplugger(cfg, dev.info().path, why);
    if (!unplugger) GTEST_SKIP() << "cannot unplug the adapter: " << why;
}

}  // namespace usbio::hw
