// SPDX-License-Identifier: Apache-2.0
// usbio watch: arrivals and departures, on simulated adapters only.
#include <gtest/gtest.h>
#include <signal.h>

#include <regex>

#include "cli_expect.hpp"
#include "json_value.hpp"

namespace usbio::test {
namespace {

const std::regex kTextEvent(
    "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (arrived|removed) cp2112 10c4:ea90 (SIM\\d+) (sim:\\d+)");

struct TextEvent {
    std::string type, serial, path;
};

std::vector<TextEvent> text_events(const std::string& out) {
    std::vector<TextEvent> events;
    for (const auto& line : lines_of(out)) {
        std::smatch m;
        EXPECT_TRUE(std::regex_match(line, m, kTextEvent)) << "[" << line << "]";
        if (m.size() == 4) events.push_back({m[1], m[2], m[3]});
    }
    return events;
}

TEST(CliWatch, TimeoutEndsAfterTheSimulatedArrival) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "watch", "--timeout", "1"});
    expect_success(r);
    auto events = text_events(r.out);
    ASSERT_EQ(events.size(), 1u) << r.out;
    EXPECT_EQ(events[0].type, "arrived");
    EXPECT_EQ(events[0].path, "sim:0");
}

TEST(CliWatch, NothingToWatch) {
    auto r = run_usbio({"--no-usb", "watch", "-t", "0.2"});
    expect_success(r);
    EXPECT_EQ(r.out, "");
}

TEST(CliWatch, JsonLinesHaveTheFields) {
    for (const auto& args : {Words{"--no-usb", "--sim", "cp2112,cp2112", "--json", "watch", "-t", "0.5"},
                             Words{"--no-usb", "--sim", "cp2112,cp2112", "watch", "--json", "--timeout", "0.5"}}) {
        auto r = run_usbio(args);
        expect_success(r);
        auto lines = lines_of(r.out);
        ASSERT_EQ(lines.size(), 2u) << r.out;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const JsonValue e = parse_json(lines[i]);
            ASSERT_EQ(e.kind, JsonValue::Kind::object) << lines[i];
            EXPECT_TRUE(std::regex_match(e.at("time").string,
                                         std::regex("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z")))
                << e.at("time").string;
            EXPECT_EQ(e.at("event").string, "arrived");
            EXPECT_EQ(e.at("driver").string, "cp2112");
            EXPECT_EQ(e.at("vid").string, "10c4");
            EXPECT_EQ(e.at("pid").string, "ea90");
            EXPECT_FALSE(e.at("serial").string.empty());
            // Simulated adapters arrive in command-line order.
            EXPECT_EQ(e.at("path").string, "sim:" + std::to_string(i));
            EXPECT_FALSE(e.at("id").string.empty());
            EXPECT_EQ(e.at("description").kind, JsonValue::Kind::string);
            EXPECT_TRUE(e.at("simulated").boolean);
        }
    }
}

TEST(CliWatch, CountEndsIt) {
    // No timeout: only --count ends this run.
    auto r = run_usbio({"--no-usb", "--sim", "cp2112,cp2112,cp2112", "watch", "--count", "2"});
    expect_success(r);
    auto events = text_events(r.out);
    ASSERT_EQ(events.size(), 2u) << r.out;
    EXPECT_EQ(events[0].path, "sim:0");
    EXPECT_EQ(events[1].path, "sim:1");
}

TEST(CliWatch, SimCycleShowsRemovalAndReplug) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112,cp2112", "watch", "-n", "6", "--sim-cycle", "5"});
    expect_success(r);
    auto events = text_events(r.out);
    ASSERT_EQ(events.size(), 6u) << r.out;
    // Both present at the start, then one adapter at a time leaves and comes back.
    const std::vector<std::pair<std::string, std::size_t>> expected = {{"arrived", 0}, {"arrived", 1}, {"removed", 0},
                                                                       {"arrived", 0}, {"removed", 1}, {"arrived", 1}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(events[i].type, expected[i].first) << i << "\n" << r.out;
        EXPECT_EQ(events[i].serial, events[expected[i].second].serial) << i << "\n" << r.out;
    }
    EXPECT_NE(events[0].serial, events[1].serial);
}

TEST(CliWatch, SignalsEndItCleanly) {
    for (int sig : {SIGINT, SIGTERM}) {
        auto r = run_usbio_until({"--no-usb", "--sim", "cp2112", "watch"}, "arrived", sig);
        expect_success(r);
        EXPECT_EQ(text_events(r.out).size(), 1u) << r.out;
    }
}

TEST(CliWatch, BadArguments) {
    expect_failure(run_usbio({"--no-usb", "--sim", "cp2112", "watch", "--count", "0"}), {"count 0", "out of range"});
    expect_failure(run_usbio({"--no-usb", "--sim", "cp2112", "watch", "-n", "x"}), {"'x'"});
    expect_failure(run_usbio({"--no-usb", "--sim", "cp2112", "watch", "--timeout", "soon"}), {"'soon'", "seconds"});
    expect_failure(run_usbio({"--no-usb", "--sim", "cp2112", "watch", "extra"}), {"'extra'", "usbio watch --help"});
    expect_failure(run_usbio({"--no-usb", "watch", "--sim-cycle", "10"}), {"--sim-cycle", "--sim"});
    expect_failure(run_usbio({"--no-usb", "--sim", "cp2112", "watch", "--sim-cycle", "0"}), {"--sim-cycle"});
}

}  // namespace
}  // namespace usbio::test
