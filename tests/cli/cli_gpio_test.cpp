// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <regex>

#include "cli_expect.hpp"
#include "json_value.hpp"

namespace usbio::test {
namespace {

TEST(CliGpio, DetectListsOneChipPerAdapter) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112,cp2112", "gpio", "detect"});
    expect_success(r);
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 2u) << r.out;
    for (const auto& l : lines) EXPECT_TRUE(std::regex_match(l, std::regex("\\S+ \\[\\S+\\] \\(8 lines\\)"))) << l;
    EXPECT_NE(lines[0], lines[1]);
}

TEST(CliGpio, InfoListsEightLinesInGpioinfoLayout) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "gpio", "info", "0"});
    expect_success(r);
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 9u) << r.out;
    EXPECT_TRUE(std::regex_match(lines[0], std::regex("\\S+ - 8 lines:"))) << lines[0];
    for (unsigned i = 0; i < 8; ++i) {
        // "\tline   3:     \"GPIO.3\"       unused   input  active-high [open-drain]": a CP2112
        // pin not driven push-pull is open-drain, and gpioinfo shows the drive.
        std::regex line("\tline +" + std::to_string(i) +
                        ": +(unnamed|\"[^\"]+\") +unused +(input|output) +active-high (\\[open-drain\\])?");
        EXPECT_TRUE(std::regex_match(lines[1 + i], line)) << "[" << lines[1 + i] << "]";
        EXPECT_EQ(lines[1 + i].find(':'), 9u) << "offset column is 3 wide: " << lines[1 + i];
    }
}

TEST(CliGpio, InfoJson) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "--json", "gpio", "info", "0"});
    expect_success(r);
    auto doc = parse_json(r.out);
    const auto& chips = doc.at("chips").array;
    ASSERT_EQ(chips.size(), 1u);
    const auto& lines = chips[0].at("lines").array;
    ASSERT_EQ(lines.size(), 8u);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        EXPECT_EQ(lines[i].at("offset").number, static_cast<double>(i));
        EXPECT_FALSE(lines[i].at("used").boolean);
        EXPECT_FALSE(lines[i].at("active_low").boolean);
    }
}

TEST(CliGpio, SetAndExit) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "gpio", "set", "0", "3=1"});
    expect_success(r);
    EXPECT_EQ(r.out, "");
    expect_success(
        run_usbio({"--no-usb", "--sim", "cp2112", "gpio", "set", "-D", "open-drain", "0", "0=0", "1=1", "7=active"}));
    expect_success(
        run_usbio({"--no-usb", "--sim", "cp2112", "gpio", "set", "--active-low", "--drive=push-pull", "0", "2=0"}));
}

TEST(CliGpio, GetPrintsOneValuePerLine) {
    // Undriven CP2112 pins sit on their pull-ups: they read 1.
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "gpio", "get", "0", "0", "1", "7"});
    expect_success(r);
    EXPECT_EQ(r.out, "1 1 1\n");
    auto info = run_usbio({"--no-usb", "--sim", "cp2112", "--json", "gpio", "info", "0"});
    expect_success(info);
    const JsonValue doc = parse_json(info.out);
    const std::string name5 = doc.at("chips").array.at(0).at("lines").array.at(5).at("name").string;
    ASSERT_FALSE(name5.empty());
    auto by_name = run_usbio({"--no-usb", "--sim", "cp2112", "gpio", "get", "--active-low", "0", name5, "2"});
    expect_success(by_name);
    EXPECT_EQ(by_name.out, "0 0\n");
}

TEST(CliGpio, GetActiveLowInvertsEveryValue) {
    auto plain = run_usbio({"--no-usb", "--sim", "cp2112", "gpio", "get", "0", "0", "1", "2", "3", "4", "5", "6", "7"});
    auto inverted =
        run_usbio({"--no-usb", "--sim", "cp2112", "gpio", "get", "-l", "0", "0", "1", "2", "3", "4", "5", "6", "7"});
    expect_success(plain);
    expect_success(inverted);
    ASSERT_EQ(plain.out.size(), 16u) << plain.out;
    ASSERT_EQ(inverted.out.size(), 16u) << inverted.out;
    for (std::size_t i = 0; i < 16; i += 2) EXPECT_NE(plain.out[i], inverted.out[i]) << plain.out << inverted.out;
}

}  // namespace
}  // namespace usbio::test
