// SPDX-License-Identifier: Apache-2.0
// usbio_hw_tests: the bench scenarios against a real adapter named by its
// serial number (hw-tests/README.md). Exits 77, which CTest reports as
// skipped, when no adapter is named; 2 when the configuration is malformed.
#include <gtest/gtest.h>

#include <cstdio>

#include "bench_config.hpp"
#include "hw_fixture.hpp"

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    const usbio::hw::BenchConfig& c = usbio::hw::config();
    if (!c.problems.empty()) {
        for (const auto& p : c.problems) std::fprintf(stderr, "usbio_hw_tests: %s\n", p.c_str());
        return 2;
    }
    auto addr = [](const std::optional<uint16_t>& a) {
        char b[8];
        if (!a) return std::string("none");
        std::snprintf(b, sizeof b, "0x%02x", *a);
        return std::string(b);
    };
    std::string loop;
    for (const auto& p : c.loopback)
        loop += (loop.empty() ? "" : ",") + std::to_string(p.out) + ":" + std::to_string(p.in);
    std::printf("USBIO-HW-CONFIG adapter=%s eeprom=%s sensor=%s%s loopback=%s unplug=%s enodev_limit_ms=%lld\n",
                c.adapter_named() ? (c.driver + ":" + c.serial).c_str() : "none", addr(c.eeprom_addr).c_str(),
                addr(c.sensor_addr).c_str(), c.sensor_required ? "(required)" : "",
                loop.empty() ? "none" : loop.c_str(), to_string(c.unplug),
                static_cast<long long>(c.enodev_limit.count()));
    std::fflush(stdout);
    const int rc = RUN_ALL_TESTS();
    if (rc == 0 && !c.adapter_named()) {
        std::printf("usbio_hw_tests: no adapter named (%s): every scenario skipped\n", c.serial_env.c_str());
        return 77;
    }
    return rc;
}
