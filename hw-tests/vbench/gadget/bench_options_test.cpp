// SPDX-License-Identifier: Apache-2.0
// The gadget's command line reaching the chip model: --device-version.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bench_device.hpp"
#include "options.hpp"

namespace usbio::vbench {
namespace {

std::optional<GadgetOptions> parse(std::vector<std::string> args, int& exit_code) {
    args.insert(args.begin(), "usbio_ffs_gadget");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return parse_options(int(argv.size()), argv.data(), exit_code);
}

// Get Version Information (feature report 0x05) as the host reads it.
std::vector<uint8_t> version_report(BenchDevice& d) { return d.control({0xA1, 0x01, 0x0305, 0, 3}, {}).data; }

TEST(GadgetDeviceVersion, TheChipReportsTheVersionAsked) {
    for (const char* v : {"1", "2", "3"}) {
        int exit_code = -1;
        auto o = parse({"--model", "cp2112", "--device-version", v}, exit_code);
        ASSERT_TRUE(o) << v;
        std::string error;
        auto device = BenchDevice::make(o->bench, error);
        ASSERT_TRUE(device) << error;
        EXPECT_EQ(version_report(*device), (std::vector<uint8_t>{0x05, 0x0C, uint8_t(v[0] - '0')})) << v;
    }
}

TEST(GadgetDeviceVersion, WithoutTheOptionTheChipIsVersion2) {
    int exit_code = -1;
    auto o = parse({"--model", "cp2112"}, exit_code);
    ASSERT_TRUE(o);
    std::string error;
    auto device = BenchDevice::make(o->bench, error);
    ASSERT_TRUE(device) << error;
    EXPECT_EQ(version_report(*device), (std::vector<uint8_t>{0x05, 0x0C, 0x02}));
}

TEST(GadgetDeviceVersion, AVersionTheModelHasNotIsRefused) {
    int exit_code = -1;
    EXPECT_FALSE(parse({"--device-version", "three"}, exit_code));
    EXPECT_EQ(exit_code, 2);
    for (const char* v : {"0", "4"}) {
        auto o = parse({"--model", "cp2112", "--device-version", v}, exit_code);
        ASSERT_TRUE(o) << v;
        std::string error;
        EXPECT_FALSE(BenchDevice::make(o->bench, error)) << v;
        EXPECT_EQ(error, std::string("device version ") + v + " is not 1, 2 or 3");
    }
}

TEST(GadgetDeviceVersion, Ft232hRefusesTheCp2112Options) {
    const std::vector<std::vector<std::string>> cases = {{"--device-version", "3"}, {"--eeprom-part", "24c512"}};
    for (const auto& option : cases) {
        int exit_code = -1;
        auto o = parse({"--model", "ft232h", option[0], option[1]}, exit_code);
        ASSERT_TRUE(o) << option[0];
        std::string error;
        EXPECT_FALSE(BenchDevice::make(o->bench, error)) << option[0];
        EXPECT_EQ(error, "--eeprom-part and --device-version are CP2112 options; ft232h has neither");
    }
}

}  // namespace
}  // namespace usbio::vbench
