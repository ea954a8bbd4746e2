// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "cli_expect.hpp"
#include "json_value.hpp"

namespace usbio::test {
namespace {

TEST(CliList, TableOfOneSimulatedAdapter) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "list"});
    expect_success(r);
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 2u) << r.out;
    EXPECT_TRUE(std::regex_match(lines[0], std::regex("INDEX +DRIVER +VID:PID +SERIAL +ID +STATE +DESCRIPTION")))
        << lines[0];
    EXPECT_TRUE(std::regex_match(lines[1], std::regex("0 +cp2112 +10c4:ea90 +\\S+ +sim\\d+:1\\.0 +present +.+")))
        << lines[1];
    // Columns line up: every field of the row starts where its header does.
    EXPECT_EQ(lines[1].find("10c4:ea90"), lines[0].find("VID:PID"));
    EXPECT_EQ(lines[1].find("present"), lines[0].find("STATE"));
}

TEST(CliList, SeveralSimulatedAdaptersByCommaAndRepetition) {
    for (const auto& args : {std::vector<std::string>{"--no-usb", "--sim", "cp2112,cp2112", "--sim", "cp2112", "list"},
                             std::vector<std::string>{"--sim=cp2112", "--sim", "cp2112,cp2112", "--no-usb", "list"}}) {
        auto r = run_usbio(args);
        expect_success(r);
        auto lines = lines_of(r.out);
        ASSERT_EQ(lines.size(), 4u) << r.out;
        for (int i = 0; i < 3; ++i)
            EXPECT_TRUE(std::regex_match(lines[1 + i], std::regex(std::to_string(i) + " +cp2112 .*"))) << lines[1 + i];
    }
}

TEST(CliList, JsonHasTheFields) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112,cp2112", "--json", "list"});
    expect_success(r);
    JsonValue doc = parse_json(r.out);
    const auto& adapters = doc.at("adapters").array;
    ASSERT_EQ(adapters.size(), 2u);
    std::vector<std::string> serials;
    for (std::size_t i = 0; i < adapters.size(); ++i) {
        const auto& a = adapters[i];
        EXPECT_EQ(a.at("index").number, static_cast<double>(i));
        EXPECT_EQ(a.at("driver").string, "cp2112");
        EXPECT_EQ(a.at("vid").string, "10c4");
        EXPECT_EQ(a.at("pid").string, "ea90");
        EXPECT_EQ(a.at("state").string, "present");
        EXPECT_TRUE(a.at("simulated").boolean);
        EXPECT_FALSE(a.at("serial").string.empty());
        EXPECT_FALSE(a.at("path").string.empty());
        EXPECT_FALSE(a.at("id").string.empty());
        EXPECT_EQ(a.at("description").kind, JsonValue::Kind::string);
        EXPECT_EQ(a.at("gpio_chips").number, 1);
        EXPECT_EQ(a.at("i2c_buses").number, 1);
        serials.push_back(a.at("serial").string);
    }
    EXPECT_NE(serials[0], serials[1]);
}

TEST(CliList, AdapterNamedBySerialAndPath) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112,cp2112", "--json", "list"});
    expect_success(r);
    const JsonValue doc = parse_json(r.out);
    const auto& second = doc.at("adapters").array.at(1);
    for (const auto& name : {second.at("serial").string, second.at("path").string, second.at("id").string}) {
        auto d = run_usbio({"--no-usb", "--sim", "cp2112,cp2112", "--json", "gpio", "detect", name});
        expect_success(d);
        const JsonValue found = parse_json(d.out);
        const auto& chips = found.at("chips").array;
        ASSERT_EQ(chips.size(), 1u) << name;
        EXPECT_EQ(chips[0].at("adapter").string, second.at("id").string) << name;
    }
}

TEST(CliList, NoUsbListsOnlySimulatedAdaptersAndAnEmptyUnboundArray) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112,cp2112", "--json", "list"});
    expect_success(r);
    const JsonValue doc = parse_json(r.out);
    ASSERT_EQ(doc.at("adapters").array.size(), 2u);
    for (const auto& a : doc.at("adapters").array) EXPECT_TRUE(a.at("simulated").boolean);
    ASSERT_EQ(doc.at("unbound").kind, JsonValue::Kind::array);
    EXPECT_TRUE(doc.at("unbound").array.empty());
}

TEST(CliList, NoAdaptersAtAll) {
    auto r = run_usbio({"--no-usb", "list"});
    expect_success(r);
    EXPECT_TRUE(std::regex_match(r.out, std::regex("INDEX +DRIVER +VID:PID +SERIAL +ID +STATE +DESCRIPTION\n")))
        << r.out;
    auto j = run_usbio({"--no-usb", "--json", "list"});
    expect_success(j);
    const JsonValue doc = parse_json(j.out);
    EXPECT_TRUE(doc.at("adapters").array.empty());
    EXPECT_TRUE(doc.at("unbound").array.empty());
}

TEST(CliList, JsonAfterTheCommandName) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "list", "--json"});
    expect_success(r);
    EXPECT_EQ(parse_json(r.out).at("adapters").array.size(), 1u);
}

TEST(CliList, VerboseSaysNothingWithoutUsb) {
    expect_success(run_usbio({"--no-usb", "-v", "--sim", "cp2112", "list"}));
}

// The one test that enumerates the machine's real USB devices: whatever is
// plugged in (or nothing, or no usbfs at all), list works, and simulated
// adapters keep the first indexes.
TEST(CliList, RealEnumerationRuns) {
    auto plain = run_usbio({"list"});
    expect_success(plain);
    ASSERT_FALSE(lines_of(plain.out).empty());
    EXPECT_EQ(lines_of(plain.out)[0].rfind("INDEX", 0), 0u) << plain.out;

    auto r = run_usbio({"--sim", "cp2112", "--json", "list"});
    expect_success(r);
    const JsonValue doc = parse_json(r.out);
    const auto& adapters = doc.at("adapters").array;
    ASSERT_FALSE(adapters.empty());
    EXPECT_TRUE(adapters[0].at("simulated").boolean);
    EXPECT_EQ(adapters[0].at("index").number, 0);
    for (std::size_t i = 1; i < adapters.size(); ++i) EXPECT_FALSE(adapters[i].at("simulated").boolean);
    for (const auto& u : doc.at("unbound").array) {
        for (const char* key : {"chip", "driver", "vid", "pid", "path", "serial", "reason"})
            EXPECT_EQ(u.at(key).kind, JsonValue::Kind::string) << key;
        EXPECT_EQ(u.at("interface").kind, JsonValue::Kind::number);
        EXPECT_NE(u.at("errno").number, 0);
        EXPECT_FALSE(u.at("reason").string.empty());
    }

    // -v may explain on stderr why there are no real adapters; only as notes.
    auto verbose = run_usbio({"-v", "list"});
    EXPECT_EQ(verbose.exit_code, 0) << describe(verbose);
    for (const auto& line : lines_of(verbose.err)) EXPECT_EQ(line.rfind("usbio: note: ", 0), 0u) << line;
}

TEST(CliVersion, PrintsVersion) {
    for (const char* opt : {"-V", "--version"}) {
        auto r = run_usbio({opt});
        expect_success(r);
        EXPECT_TRUE(std::regex_match(r.out, std::regex("usbio [0-9]+\\.[0-9]+\\.[0-9]+\n"))) << r.out;
    }
}

// What the README promises: -v says why no real adapter can be used.
TEST(CliList, VerboseSaysWhenThereIsNoUsbfs) {
    if (std::filesystem::exists("/dev/bus/usb")) GTEST_SKIP() << "this machine has usbfs";
    auto r = run_usbio({"-v", "list"});
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_NE(r.err.find("usbio: note: no usbfs at /dev/bus/usb"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace usbio::test
