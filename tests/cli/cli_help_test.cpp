// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "cli_expect.hpp"

namespace usbio::test {
namespace {

struct HelpCase {
    std::vector<std::string> words;  // the command
    std::string usage;               // what its help starts with
};

class CliHelp : public ::testing::TestWithParam<HelpCase> {};

TEST_P(CliHelp, ExitsZeroWithUsage) {
    for (const char* opt : {"--help", "-h"}) {
        auto words = GetParam().words;
        words.push_back(opt);
        auto r = run_usbio(words);
        expect_success(r);
        EXPECT_EQ(r.out.rfind(GetParam().usage, 0), 0u) << r.out;
    }
}

INSTANTIATE_TEST_SUITE_P(
    AllCommands, CliHelp,
    ::testing::Values(
        HelpCase{{}, "Usage: usbio "}, HelpCase{{"list"}, "Usage: usbio list"}, HelpCase{{"gpio"}, "Usage: usbio gpio"},
        HelpCase{{"gpio", "detect"}, "Usage: usbio gpio detect"}, HelpCase{{"gpio", "info"}, "Usage: usbio gpio info"},
        HelpCase{{"gpio", "get"}, "Usage: usbio gpio get"}, HelpCase{{"gpio", "set"}, "Usage: usbio gpio set"},
        HelpCase{{"gpio", "mon"}, "Usage: usbio gpio mon"}, HelpCase{{"watch"}, "Usage: usbio watch"},
        HelpCase{{"config"}, "Usage: usbio config"}, HelpCase{{"i2c"}, "Usage: usbio i2c"},
        HelpCase{{"i2c", "detect"}, "Usage: usbio i2c detect"}, HelpCase{{"i2c", "get"}, "Usage: usbio i2c get"},
        HelpCase{{"i2c", "set"}, "Usage: usbio i2c set"}, HelpCase{{"i2c", "dump"}, "Usage: usbio i2c dump"},
        HelpCase{{"i2c", "transfer"}, "Usage: usbio i2c transfer"},
        HelpCase{{"i2c", "recover"}, "Usage: usbio i2c recover"}, HelpCase{{"eeprom"}, "Usage: usbio eeprom"},
        HelpCase{{"eeprom", "read"}, "Usage: usbio eeprom read"},
        HelpCase{{"eeprom", "write"}, "Usage: usbio eeprom write"},
        HelpCase{{"eeprom", "verify"}, "Usage: usbio eeprom verify"}));

TEST(CliHelpText, MainHelpNamesEveryCommand) {
    auto r = run_usbio({"--help"});
    expect_success(r);
    for (const char* cmd :
         {"list",         "watch",         "config",  "gpio detect", "gpio info", "gpio get",     "gpio set",
          "gpio mon",     "i2c detect",    "i2c get", "i2c set",     "i2c dump",  "i2c transfer", "eeprom read",
          "eeprom write", "eeprom verify", "--sim",   "--json",      "--no-usb",  "--verbose",    "--sim-unplug-after",
          "--client"})
        EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
    // The index rule is stated where users look for it.
    EXPECT_NE(r.out.find("--sim adapters first"), std::string::npos) << r.out;
}

TEST(CliHelpText, HelpNeverTouchesAdapters) {
    // An unknown --sim chip fails only once a command needs the adapters.
    auto r = run_usbio({"--no-usb", "--sim", "nosuchchip", "gpio", "mon", "--help"});
    expect_success(r);
}

TEST(CliHelpText, TestAidsAreMarkedAsSuch) {
    for (const auto& words :
         {std::vector<std::string>{"watch", "--help"}, std::vector<std::string>{"gpio", "mon", "--help"}}) {
        auto r = run_usbio(words);
        expect_success(r);
        EXPECT_NE(r.out.find("Demo and test aid (simulated adapters only)"), std::string::npos) << r.out;
    }
}

}  // namespace
}  // namespace usbio::test
