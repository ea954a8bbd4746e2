// SPDX-License-Identifier: Apache-2.0
// usbio gpio mon on a simulated CP2112. The simulated input lines only
// change when something drives them: --sim-toggle (a documented test aid)
// makes the simulated world drive the first line, through the public
// sim::Adapter API.
#include <gtest/gtest.h>
#include <signal.h>

#include <regex>

#include "cli_expect.hpp"
#include "json_value.hpp"

namespace usbio::test {
namespace {

// `usbio gpio mon` on one simulated CP2112.
Words mon(Words rest) {
    rest.insert(rest.begin(), {"gpio", "mon"});
    return sim(rest);
}

const std::regex kDefaultLine("event: ( RISING|FALLING) EDGE offset: (\\d+) timestamp: \\[ *(\\d+)\\.(\\d{9})\\]");

struct Parsed {
    bool rising;
    unsigned offset;
    unsigned long long ns;
};

std::vector<Parsed> default_lines(const std::string& out) {
    std::vector<Parsed> events;
    for (const auto& line : lines_of(out)) {
        std::smatch m;
        EXPECT_TRUE(std::regex_match(line, m, kDefaultLine)) << "[" << line << "]";
        if (m.size() != 5) continue;
        events.push_back({m[1] == " RISING", static_cast<unsigned>(std::stoul(m[2])),
                          std::stoull(m[3]) * 1'000'000'000ull + std::stoull(m[4])});
    }
    return events;
}

// A sampled binary signal can only alternate, whatever samples are missed.
void expect_alternating(const std::vector<Parsed>& events) {
    for (std::size_t i = 1; i < events.size(); ++i) {
        EXPECT_NE(events[i].rising, events[i - 1].rising) << i;
        EXPECT_GE(events[i].ns, events[i - 1].ns) << i;
    }
}

TEST(CliGpioMon, DefaultFormatAndCount) {
    auto r = run_usbio(mon({"-n", "4", "--sim-toggle", "10", "0", "3"}));
    expect_success(r);
    auto events = default_lines(r.out);
    ASSERT_EQ(events.size(), 4u) << r.out;
    for (const auto& e : events) EXPECT_EQ(e.offset, 3u);
    expect_alternating(events);
}

TEST(CliGpioMon, LineByName) {
    auto r = run_usbio(mon({"-n", "1", "--sim-toggle", "10", "0", "GPIO.6"}));
    expect_success(r);
    auto events = default_lines(r.out);
    ASSERT_EQ(events.size(), 1u) << r.out;
    EXPECT_EQ(events[0].offset, 6u);
}

TEST(CliGpioMon, OnlyTheRequestedEdges) {
    for (const char* opt : {"-r", "--rising-edge", "-f", "--falling-edge"}) {
        const bool rising = std::string(opt).find('r') != std::string::npos;
        auto r = run_usbio(mon({opt, "-n", "3", "--sim-toggle", "5", "0", "1"}));
        expect_success(r);
        auto events = default_lines(r.out);
        ASSERT_EQ(events.size(), 3u) << r.out;
        for (const auto& e : events) EXPECT_EQ(e.rising, rising) << opt << "\n" << r.out;
    }
    // Both given: both edges, as gpiomon.
    auto both = run_usbio(mon({"-r", "-f", "-n", "2", "--sim-toggle", "5", "0", "1"}));
    expect_success(both);
    auto events = default_lines(both.out);
    ASSERT_EQ(events.size(), 2u) << both.out;
    expect_alternating(events);
}

TEST(CliGpioMon, ActiveLowRequestStillSeesEdges) {
    auto r = run_usbio(mon({"-l", "-n", "2", "--sim-toggle", "5", "0", "2"}));
    expect_success(r);
    auto events = default_lines(r.out);
    ASSERT_EQ(events.size(), 2u) << r.out;
    expect_alternating(events);
}

TEST(CliGpioMon, CustomFormat) {
    auto r = run_usbio(mon({"-F", "%o/%e/%s/%n %% %x", "-n", "2", "--sim-toggle", "5", "0", "4"}));
    expect_success(r);
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 2u) << r.out;
    std::vector<std::string> kinds;
    for (const auto& l : lines) {
        std::smatch m;
        ASSERT_TRUE(std::regex_match(l, m, std::regex("4/([01])/\\d+/\\d+ % %x"))) << l;
        kinds.push_back(m[1]);
    }
    EXPECT_NE(kinds[0], kinds[1]);
}

TEST(CliGpioMon, JsonLines) {
    auto r = run_usbio(mon({"--json", "-n", "3", "--sim-toggle", "5", "0", "7"}));
    expect_success(r);
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    double last_seqno = 0;
    std::string last_event;
    for (const auto& l : lines) {
        const JsonValue e = parse_json(l);
        EXPECT_EQ(e.at("offset").number, 7);
        EXPECT_TRUE(e.at("event").string == "rising" || e.at("event").string == "falling") << l;
        EXPECT_NE(e.at("event").string, last_event) << l;
        EXPECT_GT(e.at("seqno").number, last_seqno) << l;
        EXPECT_GT(e.at("timestamp_ns").number, 0);
        last_seqno = e.at("seqno").number;
        last_event = e.at("event").string;
    }
}

TEST(CliGpioMon, SilentPrintsNothing) {
    auto r = run_usbio(mon({"-s", "-n", "2", "--sim-toggle", "5", "0", "0"}));
    expect_success(r);
    EXPECT_EQ(r.out, "");
}

TEST(CliGpioMon, TimeoutWithoutEdges) {
    // Nothing drives the simulated lines: no event until the timeout ends the run.
    auto r = run_usbio(mon({"--timeout", "0.3", "--poll-period", "1000", "0", "0", "1"}));
    expect_success(r);
    EXPECT_EQ(r.out, "");
}

TEST(CliGpioMon, UnplugEndsWithDeviceGone) {
    auto r = run_usbio(mon({"--sim-toggle", "5", "--sim-unplug-after-events", "2", "0", "5"}));
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    // Events seen before the unplug are printed, then the stream ends.
    EXPECT_GE(default_lines(r.out).size(), 2u) << r.out;
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line\n" << describe(r);
    EXPECT_TRUE(std::regex_match(r.err, std::regex("usbio: cp2112 \\[serial SIM\\d+\\]: .*device gone.*\n"))) << r.err;
}

TEST(CliGpioMon, SignalsEndItCleanly) {
    for (int sig : {SIGINT, SIGTERM}) {
        auto r = run_usbio_until(mon({"--sim-toggle", "5", "0", "0"}), "EDGE", sig);
        expect_success(r);
        EXPECT_FALSE(default_lines(r.out).empty());
    }
}

TEST(CliGpioMon, BadArguments) {
    expect_failure(run_usbio(mon({"0", "8"})), {"offset 8", "out of range"});
    expect_failure(run_usbio(mon({"0", "3=1"})), {"'3=1'", "gpio set"});
    expect_failure(run_usbio(mon({"0"})), {"too few arguments", "gpio mon"});
    expect_failure(run_usbio(mon({"0", "nosuchline"})), {"cannot find line 'nosuchline'"});
    expect_failure(run_usbio(mon({"0", "2", "2"})), {"same line"});
    expect_failure(run_usbio(mon({"7", "2"})), {"7"});
    expect_failure(run_usbio(mon({"-n", "x", "0", "2"})), {"'x'"});
    expect_failure(run_usbio(mon({"-n", "-1", "0", "2"})), {"'-1'"});
    expect_failure(run_usbio(mon({"--poll-period", "0", "0", "2"})), {"poll period 0", "out of range"});
    expect_failure(run_usbio(mon({"-t", "later", "0", "2"})), {"'later'"});
    expect_failure(run_usbio(mon({"--json", "-F", "%o", "0", "2"})), {"--json"});
    expect_failure(run_usbio(mon({"--sim-toggle", "0", "0", "2"})), {"--sim-toggle"});
    expect_failure(run_usbio(mon({"--frob", "0", "2"})), {"--frob", "usbio gpio mon --help"});
}

}  // namespace
}  // namespace usbio::test
