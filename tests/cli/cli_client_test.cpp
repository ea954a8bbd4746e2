// SPDX-License-Identifier: Apache-2.0
// The global --client ADAPTER:TYPE@ADDR: chips on an adapter's bus bound
// before the command, shown as devices of their own with their parent.
#include <gtest/gtest.h>

#include <regex>

#include "cli_expect.hpp"
#include "json_value.hpp"

namespace usbio::test {
namespace {

// `usbio --no-usb --sim cp2112 --client SPEC... rest...`
Words with_clients(const Words& specs, const Words& rest) {
    Words w{"--no-usb", "--sim", "cp2112"};
    for (const auto& s : specs) {
        w.push_back("--client");
        w.push_back(s);
    }
    w.insert(w.end(), rest.begin(), rest.end());
    return w;
}

TEST(CliClient, ListShowsTheClientWithItsParent) {
    auto r = run_usbio(with_clients({"0:24c32@0x50"}, {"list"}));
    expect_success(r);
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    EXPECT_TRUE(
        std::regex_match(lines[0], std::regex("INDEX +DRIVER +VID:PID +SERIAL +ID +STATE +DESCRIPTION +PARENT")))
        << lines[0];
    EXPECT_TRUE(std::regex_match(lines[1], std::regex("0 +cp2112 .* -"))) << lines[1];
    EXPECT_TRUE(std::regex_match(lines[2], std::regex("1 +at24 .* sim0:1\\.0"))) << lines[2];

    auto j = run_usbio(with_clients({"sim0:1.0:24c32@0x50"}, {"--json", "list"}));
    expect_success(j);
    const JsonValue doc = parse_json(j.out);
    const auto& adapters = doc.at("adapters").array;
    ASSERT_EQ(adapters.size(), 2u) << j.out;
    EXPECT_EQ(adapters[0].at("parent").string, "");
    EXPECT_EQ(adapters[1].at("parent").string, "sim0:1.0");
    EXPECT_EQ(adapters[1].at("index").number, 1);
}

TEST(CliClient, ListWithoutClientsKeepsItsColumns) {
    auto r = run_usbio(sim({"list"}));
    expect_success(r);
    EXPECT_EQ(r.out.find("PARENT"), std::string::npos) << r.out;
}

TEST(CliClient, EepromCommandUsesTheBoundClient) {
    expect_success(run_usbio(with_clients({"0:24c32@0x50"}, {"eeprom", "read", "-t", "24c32", "0", "0x50"})));
    expect_failure(run_usbio(with_clients({"0:24c02@0x50"}, {"eeprom", "read", "-t", "24c32", "0", "0x50"})), 1,
                   {"24c02 at 0x50", "bound there already", "not a 24c32"});
}

TEST(CliClient, BadSpecsAreUsageErrors) {
    for (const char* bad : {"0", "24c32@0x50", "0:24c32", ":24c32@0x50", "0:@0x50"})
        expect_failure(run_usbio(with_clients({bad}, {"list"})), 1, {"--client '" + std::string(bad) + "'"});
    expect_failure(run_usbio(with_clients({"0:nosuch@0x50"}, {"list"})), 1, {"unknown chip type 'nosuch'", "24c32"});
    expect_failure(run_usbio(with_clients({"0:24c32@0x80"}, {"list"})), 1, {"0x80 out of range"});
}

TEST(CliClient, BindingFailuresNameTheSpec) {
    auto r = run_usbio(with_clients({"0:24c32@0x51"}, {"--json", "list"}));
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_NE(r.err.find("--client 0:24c32@0x51: "), std::string::npos) << describe(r);
    const JsonValue e = parse_json(r.out).at("error");
    EXPECT_EQ(e.at("code").string, "ENXIO");
    EXPECT_EQ(e.at("adapter").string, "sim0:1.0");
    EXPECT_EQ(e.at("address").number, 0x51);

    expect_failure(run_usbio(with_clients({"3:24c32@0x50"}, {"list"})), 1,
                   {"--client 3:24c32@0x50: no adapter with index 3"});
    expect_failure(run_usbio(with_clients({"0:24c32@0x50", "0:24c32@0x50"}, {"list"})), 1, {"--client 0:24c32@0x50: "});
}

}  // namespace
}  // namespace usbio::test
