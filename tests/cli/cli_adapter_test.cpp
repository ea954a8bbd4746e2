// SPDX-License-Identifier: Apache-2.0
// Naming an adapter by index, serial number, USB path or id.
#include <gtest/gtest.h>

#include "cli_expect.hpp"
#include "json_value.hpp"

namespace usbio::test {
namespace {

std::string adapter_of(const CliRun& r) {
    expect_success(r);
    return parse_json(r.out).at("adapter").string;
}

// i2c-tools reads I2CBUS with strtoul base 0; an index may be spelled so too.
TEST(CliAdapterIndex, HexAndOctal) {
    const Words two{"--no-usb", "--sim", "cp2112,cp2112", "--json", "i2c", "get", "-y"};
    auto get = [&](const std::string& adapter) {
        Words w = two;
        w.insert(w.end(), {adapter, "0x48", "0x00", "w"});
        return run_usbio(w);
    };
    EXPECT_EQ(adapter_of(get("0x0")), "sim0:1.0");
    EXPECT_EQ(adapter_of(get("0X1")), "sim1:1.0");
    EXPECT_EQ(adapter_of(get("00")), "sim0:1.0");
    EXPECT_EQ(adapter_of(get("01")), "sim1:1.0");
    EXPECT_EQ(adapter_of(get("1")), "sim1:1.0");
    EXPECT_EQ(parse_json(get("0x1").out).at("value").number, 25);  // the sensor answers
    // Names still name.
    EXPECT_EQ(adapter_of(get("sim:1")), "sim1:1.0");
    EXPECT_EQ(adapter_of(get("SIM0002")), "sim1:1.0");

    // Failures as text (with --json stdout carries the error object).
    auto get_text = [&](const std::string& adapter) {
        return run_usbio({"--no-usb", "--sim", "cp2112,cp2112", "i2c", "get", "-y", adapter, "0x48", "0x00", "w"});
    };
    expect_failure(get_text("0x2"), {"no adapter with index 0x2", "2 adapter(s) present"});
    expect_failure(get_text("010"), {"no adapter with index 010"});  // octal 8
    expect_failure(get_text("08"), {"no adapter matches '08'", "octal"});
    expect_failure(get_text("0x"), {"no adapter matches '0x'"});
    EXPECT_EQ(parse_json(get("0x2").out).at("error").at("code").string, "ENODEV");
}

TEST(CliAdapterIndex, HexIndexInEveryCommand) {
    expect_success(run_usbio(sim({"gpio", "info", "0x0"})));
    expect_success(run_usbio(sim({"gpio", "get", "0x0", "3"})));
    expect_success(run_usbio(sim({"gpio", "set", "0x0", "3=1"})));
    expect_success(run_usbio(sim({"i2c", "detect", "-y", "0x0"})));
    expect_success(run_usbio(sim({"i2c", "set", "-y", "0x0", "0x48", "0x01", "0x02"})));
    expect_success(run_usbio(sim({"i2c", "dump", "-y", "-r", "0-3", "0x0", "0x48"})));
    auto r = run_usbio(sim({"i2c", "transfer", "-y", "0x0", "w1@0x48", "0x00", "r2"}));
    expect_success(r);
    EXPECT_EQ(r.out, "0x19 0x00\n");
}

}  // namespace
}  // namespace usbio::test
