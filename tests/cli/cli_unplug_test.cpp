// SPDX-License-Identifier: Apache-2.0
// The global --sim-unplug-after N: any command against an unplug after N
// USB transfers fails with ENODEV naming the adapter.
#include <gtest/gtest.h>

#include "cli_expect.hpp"
#include "json_value.hpp"

namespace usbio::test {
namespace {

Words unplug_after(const std::string& n, const Words& rest) {
    Words w{"--no-usb", "--sim", "cp2112", "--sim-unplug-after", n};
    w.insert(w.end(), rest.begin(), rest.end());
    return w;
}

TEST(CliUnplug, EveryCommandReportsEnodevNamingTheAdapter) {
    for (const Words& cmd :
         {Words{"i2c", "dump", "-y", "0", "0x48"}, Words{"i2c", "detect", "-y", "0"},
          Words{"i2c", "set", "-y", "0", "0x48", "0x01", "0x02"},
          Words{"i2c", "transfer", "-y", "0", "w2@0x50", "0", "0", "r8"}, Words{"gpio", "get", "0", "3"},
          Words{"gpio", "set", "0", "3=1"}, Words{"gpio", "info", "0"}, Words{"config", "0"}}) {
        SCOPED_TRACE(cmd[0] + " " + cmd[1]);
        expect_failure(run_usbio(unplug_after("0", cmd)), 1, {"cp2112 [serial SIM0001]", "device gone (ENODEV)"});
    }
    // i2cget's own status for a failed read stays.
    expect_failure(run_usbio(unplug_after("0", {"i2c", "get", "-y", "0", "0x48"})), 2,
                   {"cp2112 [serial SIM0001]", "i2c 0x48", "(ENODEV)"});
}

TEST(CliUnplug, JsonErrorIsEnodevWithTheAdapter) {
    auto r = run_usbio(unplug_after("0", {"--json", "gpio", "info", "0"}));
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    const JsonValue e = parse_json(r.out).at("error");
    EXPECT_EQ(e.at("code").string, "ENODEV");
    EXPECT_EQ(e.at("adapter").string, "sim0:1.0");
}

// The count starts with the command: a command needing more transfers than
// N is cut, one needing fewer is not.
TEST(CliUnplug, CountsTheCommandsTransfers) {
    expect_success(run_usbio(unplug_after("1000", {"gpio", "get", "0", "3"})));
    // gpio info reads the lines one after the other: with no transfer to
    // spare it fails on line 0, with a few more on a later line.
    expect_failure(run_usbio(unplug_after("0", {"gpio", "info", "0"})), 1, {"line 0 (GPIO.0)", "(ENODEV)"});
    bool later = false;
    for (int n = 1; n <= 32 && !later; ++n) {
        auto r = run_usbio(unplug_after(std::to_string(n), {"gpio", "info", "0"}));
        ASSERT_EQ(r.exit_code, 1) << describe(r);
        later = r.err.find("line 0 (GPIO.0)") == std::string::npos;
    }
    EXPECT_TRUE(later);
}

TEST(CliUnplug, NeedsSimulatedAdapters) {
    expect_failure(run_usbio({"--no-usb", "--sim-unplug-after", "3", "list"}), 1, {"--sim-unplug-after", "--sim"});
    expect_failure(run_usbio(unplug_after("x", {"list"})), 1, {"--sim-unplug-after 'x'"});
}

TEST(CliUnplug, AfterTheCommandItSaysItIsGlobal) {
    expect_failure(run_usbio(sim({"gpio", "mon", "--sim-unplug-after", "3", "0", "3"})), 1,
                   {"--sim-unplug-after is a global option", "before the command"});
}

}  // namespace
}  // namespace usbio::test
