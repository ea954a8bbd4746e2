// SPDX-License-Identifier: Apache-2.0
// The global --client ADAPTER:TYPE@ADDR: chips on an adapter's bus bound
// before the command, shown as devices of their own with their parent.
#include <gtest/gtest.h>

#include <regex>

#include "cli_expect.hpp"
#include "json_value.hpp"
#include "temp_dir.hpp"

namespace usbio::test {
namespace {

// The --json array `key` of a successful run: the adapter's item (no
// parent), then the client's (on sim0:1.0).
JsonValue adapter_then_client(const CliRun& r, const std::string& key) {
    expect_success(r);
    JsonValue doc = parse_json(r.out);
    const auto& items = doc.at(key).array;
    EXPECT_EQ(items.size(), 2u) << r.out;
    if (items.size() == 2) {
        EXPECT_EQ(items[0].at("parent").string, "");
        EXPECT_EQ(items[1].at("parent").string, "sim0:1.0");
    }
    return doc;
}

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

    const JsonValue doc =
        adapter_then_client(run_usbio(with_clients({"sim0:1.0:24c32@0x50"}, {"--json", "list"})), "adapters");
    ASSERT_EQ(doc.at("adapters").array.size(), 2u);
    EXPECT_EQ(doc.at("adapters").array[1].at("index").number, 1);
}

TEST(CliClient, ListWithoutClientsKeepsItsColumns) {
    auto r = run_usbio(sim({"list"}));
    expect_success(r);
    EXPECT_EQ(r.out.find("PARENT"), std::string::npos) << r.out;
}

TEST(CliClient, EepromCommandUsesTheBoundClient) {
    expect_success(run_usbio(with_clients({"0:24c32@0x50"}, {"eeprom", "read", "-t", "24c32", "0", "0x50"})));
    expect_failure(run_usbio(with_clients({"0:24c02@0x50"}, {"eeprom", "read", "-t", "24c32", "0", "0x50"})), 1,
                   {"24c02 on cp2112 [serial SIM0001] i2c 0x50", "bound there already", "not a 24c32"});
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

TEST(CliClient, ExpanderIsAGpioChipOfItsOwn) {
    auto r = run_usbio(with_clients({"0:pca9555@0x20"}, {"gpio", "info", "1"}));
    expect_success(r);
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 17u) << r.out;
    EXPECT_EQ(lines[0], "pca9555-0x20 - 16 lines:");
    EXPECT_NE(lines[16].find("\"IO1_7\""), std::string::npos) << lines[16];
    // Named by its chip name, as gpiodetect prints it, too.
    expect_success(run_usbio(with_clients({"0:pca9555@0x20"}, {"gpio", "info", "pca9555-0x20"})));
}

TEST(CliClient, DetectKeepsGpiodetectsLineAndVerboseAddsTheParent) {
    const std::regex gpiodetect("[^ ]+ \\[[^\\]]*\\] \\([0-9]+ lines\\)");
    auto plain = run_usbio(with_clients({"0:pca9555@0x20"}, {"gpio", "detect"}));
    expect_success(plain);
    auto lines = lines_of(plain.out);
    ASSERT_EQ(lines.size(), 2u) << plain.out;
    EXPECT_EQ(lines[1], "pca9555-0x20 [pca9555] (16 lines)");
    for (const auto& l : lines) EXPECT_TRUE(std::regex_match(l, gpiodetect)) << l;

    auto verbose = run_usbio(with_clients({"0:pca9555@0x20"}, {"-v", "gpio", "detect"}));
    expect_success(verbose);
    lines = lines_of(verbose.out);
    ASSERT_EQ(lines.size(), 2u) << verbose.out;
    EXPECT_EQ(lines[0], "cp2112-SIM0001 [cp2112_gpio] (8 lines)");  // an adapter's own chip: as before
    EXPECT_EQ(lines[1], "pca9555-0x20 [pca9555] (16 lines) on cp2112 [serial SIM0001]");

    const JsonValue doc =
        adapter_then_client(run_usbio(with_clients({"0:pca9555@0x20"}, {"--json", "gpio", "detect"})), "chips");
    ASSERT_EQ(doc.at("chips").array.size(), 2u);
    EXPECT_EQ(doc.at("chips").array[1].at("lines").number, 16);
}

class CliClientState : public ::testing::Test {
protected:
    // With the simulated hardware kept in a state file between commands.
    Words kept(const Words& specs, const Words& rest) const {
        Words w = with_clients(specs, {"--sim-state", dir.file("state.txt")});
        w.insert(w.end(), rest.begin(), rest.end());
        return w;
    }
    TempDir dir{"usbio-client"};
};

// What gpio set does to the expander shows in its registers, read over the
// adapter's bus as i2c-tools would.
TEST_F(CliClientState, ExpanderLinesSetAndGet) {
    expect_success(run_usbio(kept({"0:pca9555@0x20"}, {"gpio", "set", "1", "3=0", "IO1_2=1"})));
    auto reg = [&](const std::string& r) {
        auto out = run_usbio(kept({}, {"i2c", "get", "-y", "0", "0x20", r}));
        expect_success(out);
        return out.out;
    };
    EXPECT_EQ(reg("0x02"), "0xf7\n");  // output port 0: line 3 low
    EXPECT_EQ(reg("0x06"), "0xf7\n");  // configuration port 0: line 3 an output
    EXPECT_EQ(reg("0x07"), "0xfb\n");  // configuration port 1: line 10 (IO1_2) an output
    EXPECT_EQ(reg("0x03"), "0xff\n");  // output port 1: line 10 high

    auto info = run_usbio(kept({"0:pca9555@0x20"}, {"gpio", "info", "1"}));
    expect_success(info);
    EXPECT_TRUE(std::regex_search(info.out, std::regex("line +3: +\"IO0_3\" +unused +output"))) << info.out;
    // The other lines are inputs, pulled up by the simulated world.
    auto get = run_usbio(kept({"0:pca9555@0x20"}, {"gpio", "get", "1", "0", "IO1_7"}));
    expect_success(get);
    EXPECT_EQ(get.out, "1 1\n");
}

// The adapter unplugged under the expander: its calls fail with ENODEV.
TEST(CliClient, ExpanderOnAnUnpluggedAdapter) {
    auto r =
        run_usbio(with_clients({"0:pca9555@0x20"}, {"--sim-unplug-after", "0", "--json", "gpio", "get", "1", "3"}));
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_NE(r.err.find("(ENODEV)"), std::string::npos) << describe(r);
    EXPECT_NE(r.err.find("0x20"), std::string::npos) << describe(r);
    const JsonValue e = parse_json(r.out).at("error");
    EXPECT_EQ(e.at("code").string, "ENODEV");
    EXPECT_EQ(e.at("adapter").string, "sim0:1.0/i2c-0/0x20");
}

}  // namespace
}  // namespace usbio::test
