// SPDX-License-Identifier: Apache-2.0
// libgpiod 1.6 parity: gpioset's modes, -B/--bias, gpiofind, chip names as
// adapter names, gpioinfo's flags.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <regex>

#include "cli_expect.hpp"
#include "json_value.hpp"

namespace usbio::test {
namespace {

using std::chrono::milliseconds;

TEST(CliGpioSetModes, ExitIsTheDefaultAndPrintsTheBanner) {
    auto r = run_usbio(sim({"gpio", "set", "--banner", "0", "3=1", "GPIO.4=0"}));
    expect_success(r);
    EXPECT_EQ(r.out, "Setting lines '3', and 'GPIO.4'...\n");
    auto one = run_usbio(sim({"gpio", "set", "--banner", "-m", "exit", "0", "3=1"}));
    expect_success(one);
    EXPECT_EQ(one.out, "Setting line '3'...\n");
}

TEST(CliGpioSetModes, WaitHoldsTheLinesUntilEnter) {
    // Stdin open and silent: the command is still waiting when the bound
    // passes (it would otherwise end at once, as exit mode does).
    auto waiting = run_usbio_stdin_until(sim({"gpio", "set", "--banner", "-m", "wait", "0", "3=1"}), "never printed",
                                         milliseconds(1500));
    EXPECT_TRUE(waiting.timed_out);
    EXPECT_EQ(waiting.out, "Setting line '3'...\n");

    // End of input once the lines are set: it ends, successfully.
    auto r = run_usbio_stdin_until(sim({"gpio", "set", "--banner", "--mode=wait", "0", "3=1"}), "Setting line");
    expect_success(r);
    EXPECT_EQ(r.out, "Setting line '3'...\n");
    // ENTER as input.
    expect_success(run_usbio(sim({"gpio", "set", "-m", "wait", "0", "3=1"}), "\n"));
}

TEST(CliGpioSetModes, SignalHoldsTheLinesUntilSigintOrSigterm) {
    auto waiting = run_usbio_stdin_until(sim({"gpio", "set", "--banner", "-m", "signal", "0", "3=1"}), "never printed",
                                         milliseconds(1500));
    EXPECT_TRUE(waiting.timed_out) << "end of input does not end signal mode";
    for (int sig : {SIGINT, SIGTERM}) {
        auto r = run_usbio_until(sim({"gpio", "set", "--banner", "-m", "signal", "0", "3=1"}), "Setting line", sig);
        expect_success(r);
        EXPECT_EQ(r.out, "Setting line '3'...\n");
    }
}

TEST(CliGpioSetModes, TimeWaitsSecondsPlusMicroseconds) {
    const auto start = std::chrono::steady_clock::now();
    auto r = run_usbio(sim({"gpio", "set", "-m", "time", "-s", "0", "-u", "400000", "0", "3=1"}));
    const auto took = std::chrono::steady_clock::now() - start;
    expect_success(r);
    EXPECT_GE(took, milliseconds(400));
    // A signal ends the wait early, cleanly.
    auto cut = run_usbio_until(sim({"gpio", "set", "--banner", "-m", "time", "--sec=600", "0", "3=1"}), "Setting",
                               SIGTERM, milliseconds(20000));
    expect_success(cut);
}

// Once the adapter is gone the lines are no longer driven: the wait ends
// with an error instead of holding nothing.
TEST(CliGpioSetModes, UnplugEndsTheWaitWithDeviceGone) {
    // Stdin stays open: only the unplug can end the wait.
    for (const Words& mode : {Words{"-m", "signal"}, Words{"-m", "time", "-s", "600"}, Words{"-m", "wait"}}) {
        Words w{"gpio", "set", "--sim-unplug-while-holding"};
        w.insert(w.end(), mode.begin(), mode.end());
        w.insert(w.end(), {"0", "3=1"});
        expect_failure(run_usbio_stdin_until(sim(w), "never printed", std::chrono::seconds(20)),
                       {"cp2112 [serial SIM0001]", "device gone", "no longer driven"});
    }
    // Exit mode does not wait, so there is nothing to end.
    expect_success(run_usbio(sim({"gpio", "set", "--sim-unplug-while-holding", "0", "3=1"})));
}

TEST(CliGpioSetModes, WaitTimeOnlyInTimeMode) {
    expect_failure(run_usbio(sim({"gpio", "set", "-s", "1", "0", "3=1"})), {"can't specify wait time in this mode"});
    expect_failure(run_usbio(sim({"gpio", "set", "-m", "wait", "-u", "5", "0", "3=1"})),
                   {"can't specify wait time in this mode"});
    expect_failure(run_usbio(sim({"gpio", "set", "-m", "later", "0", "3=1"})), {"invalid mode 'later'"});
    expect_failure(run_usbio(sim({"gpio", "set", "-m", "time", "-s", "x", "0", "3=1"})), {"'x'"});
    // As gpioset: a zero time is allowed in any mode.
    expect_success(run_usbio(sim({"gpio", "set", "-s", "0", "0", "3=1"})));
}

TEST(CliGpioBias, AsIsIsAcceptedEverywhere) {
    expect_success(run_usbio(sim({"gpio", "set", "-B", "as-is", "0", "3=1"})));
    auto get = run_usbio(sim({"gpio", "get", "--bias=as-is", "0", "3"}));
    expect_success(get);
    EXPECT_EQ(get.out, "1\n");
    auto mon = run_usbio(sim({"gpio", "mon", "-B", "as-is", "-t", "0.05", "0", "3"}));
    expect_success(mon);
}

// The CP2112 has no configurable bias: EOPNOTSUPP naming adapter and line.
TEST(CliGpioBias, OtherBiasesAreNotSupportedByTheCp2112) {
    for (const std::string bias : {"pull-up", "pull-down", "disable"}) {
        expect_failure(run_usbio(sim({"gpio", "get", "-B", bias, "0", "5", "6"})),
                       {"cp2112 [serial SIM0001]", "line 5", "bias '" + bias + "'", "EOPNOTSUPP"});
        expect_failure(run_usbio(sim({"gpio", "set", "--bias", bias, "0", "GPIO.2=1"})),
                       {"cp2112 [serial SIM0001]", "line 2", "EOPNOTSUPP"});
        expect_failure(run_usbio(sim({"gpio", "mon", "-B", bias, "-n", "1", "0", "7"})),
                       {"cp2112 [serial SIM0001]", "line 7", "EOPNOTSUPP"});
    }
    auto j = run_usbio(sim({"--json", "gpio", "get", "-B", "pull-up", "0", "4"}));
    EXPECT_EQ(j.exit_code, 1);
    const JsonValue e = parse_json(j.out).at("error");
    EXPECT_EQ(e.at("code").string, "EOPNOTSUPP");
    EXPECT_EQ(e.at("adapter").string, "sim0:1.0");
    EXPECT_EQ(e.at("line").number, 4);
    expect_failure(run_usbio(sim({"gpio", "get", "-B", "pull-sideways", "0", "4"})), {"invalid bias 'pull-sideways'"});
}

TEST(CliGpioFind, PrintsChipAndOffset) {
    auto r = run_usbio(sim({"gpio", "find", "GPIO.5"}));
    expect_success(r);
    EXPECT_EQ(r.out, "cp2112-SIM0001 5\n");
    // The first adapter that has the name.
    auto two = run_usbio({"--no-usb", "--sim", "cp2112,cp2112", "--json", "gpio", "find", "GPIO.0"});
    expect_success(two);
    const JsonValue doc = parse_json(two.out);
    EXPECT_EQ(doc.at("adapter").string, "sim0:1.0");
    EXPECT_EQ(doc.at("chip").string, "cp2112-SIM0001");
    EXPECT_EQ(doc.at("offset").number, 0);
}

TEST(CliGpioFind, ExitsOneWhenNotFound) {
    expect_failure(run_usbio(sim({"gpio", "find", "GPIO.8"})), {"cannot find line 'GPIO.8'"});
    expect_failure(run_usbio({"--no-usb", "gpio", "find", "GPIO.0"}), {"cannot find line 'GPIO.0'"});
    expect_failure(run_usbio(sim({"gpio", "find"})), {"too few arguments"});
}

// What gpio detect and gpio find print names the adapter everywhere.
TEST(CliChipName, NamesTheAdapterInEveryCommand) {
    const Words two{"--no-usb", "--sim", "cp2112,cp2112"};
    auto run2 = [&](const Words& rest) {
        Words w = two;
        w.insert(w.end(), rest.begin(), rest.end());
        return run_usbio(w);
    };
    auto detect = run2({"gpio", "detect", "cp2112-SIM0002"});
    expect_success(detect);
    EXPECT_EQ(detect.out, "cp2112-SIM0002 [cp2112_gpio] (8 lines)\n");
    auto info = run2({"gpio", "info", "cp2112-SIM0002"});
    expect_success(info);
    EXPECT_EQ(info.out.rfind("cp2112-SIM0002 - 8 lines:\n", 0), 0u) << info.out;
    expect_success(run2({"gpio", "get", "cp2112-SIM0002", "3"}));
    expect_success(run2({"gpio", "set", "cp2112-SIM0002", "3=0"}));
    expect_success(run2({"gpio", "mon", "-t", "0.05", "cp2112-SIM0002", "3"}));
    auto get = run2({"--json", "i2c", "get", "-y", "cp2112-SIM0002", "0x48", "0x00", "w"});
    expect_success(get);
    EXPECT_EQ(parse_json(get.out).at("adapter").string, "sim1:1.0");
    // The I2C bus name (i2c detect -l) names it too.
    auto by_bus = run2({"--json", "i2c", "dump", "-y", "-r", "0-1", "cp2112-SIM0002 i2c", "0x48"});
    expect_success(by_bus);
    EXPECT_EQ(parse_json(by_bus.out).at("adapter").string, "sim1:1.0");
    expect_success(run2({"i2c", "detect", "-y", "cp2112-SIM0001", "0x48", "0x48"}));
    expect_success(run2({"i2c", "set", "-y", "cp2112-SIM0001", "0x48", "0x01", "0x02"}));
    expect_success(run2({"i2c", "transfer", "-y", "cp2112-SIM0001", "w1@0x48", "0x00", "r2"}));
    expect_failure(run2({"gpio", "get", "cp2112-SIM0003", "3"}),
                   {"no adapter matches 'cp2112-SIM0003'", "GPIO chip name"});
}

// gpio find's output feeds gpio get, as gpiofind's feeds gpioget.
TEST(CliChipName, FindOutputFeedsGet) {
    auto found = run_usbio(sim({"gpio", "find", "GPIO.6"}));
    expect_success(found);
    const auto space = found.out.find(' ');
    ASSERT_NE(space, std::string::npos);
    const std::string chip = found.out.substr(0, space);
    const std::string offset = found.out.substr(space + 1, found.out.size() - space - 2);
    auto get = run_usbio(sim({"gpio", "get", chip, offset}));
    expect_success(get);
    EXPECT_EQ(get.out, "1\n");
}

// gpioinfo prints a line's drive as a flag, as --json reports it.
TEST(CliGpioInfoFlags, TextAndJsonAgreeOnTheDrive) {
    auto text = run_usbio(sim({"gpio", "info", "0"}));
    auto json = run_usbio(sim({"--json", "gpio", "info", "0"}));
    expect_success(text);
    expect_success(json);
    const auto lines = lines_of(text.out);
    const JsonValue doc = parse_json(json.out);
    const auto& items = doc.at("chips").array.at(0).at("lines").array;
    ASSERT_EQ(lines.size(), items.size() + 1);
    std::size_t open_drain = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string drive = items[i].at("drive").string;
        const bool flagged = lines[i + 1].find("[open-drain]") != std::string::npos;
        EXPECT_EQ(flagged, drive == "open-drain") << lines[i + 1] << " / " << drive;
        open_drain += flagged;
    }
    EXPECT_GT(open_drain, 0u) << "the CP2112's pins start open-drain:\n" << text.out;
}

}  // namespace
}  // namespace usbio::test
