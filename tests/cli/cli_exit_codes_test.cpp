// SPDX-License-Identifier: Apache-2.0
// Exit statuses as i2c-tools 4.3 and libgpiod 1.6.3 give them: 0 on success
// and when the user declines the confirmation question, 2 when i2cget's
// read fails, 1 for every other failure.
#include <gtest/gtest.h>

#include "cli_expect.hpp"

namespace usbio::test {
namespace {

// Declining ends like i2c-tools: "Aborting on user request.", status 0,
// nothing on stdout.
void expect_aborted(const CliRun& r) {
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.out, "") << describe(r);
    EXPECT_NE(r.err.find("usbio: Aborting on user request.\n"), std::string::npos) << describe(r);
}

TEST(CliExitCodes, UsageErrorIsOne) {
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0"})), 1, {"too few arguments"});
    expect_failure(run_usbio(sim({"gpio", "get", "--frob", "0", "3"})), 1, {"--frob"});
}

TEST(CliExitCodes, BadArgumentIsOne) {
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x80"})), 1, {"0x80"});
    expect_failure(run_usbio(sim({"i2c", "set", "-y", "0", "0x48", "1", "0x100"})), 1, {"0x100"});
    expect_failure(run_usbio(sim({"i2c", "dump", "-y", "0", "0x48", "z"})), 1, {"'z'"});
    expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "x1@0x50"})), 1, {"x1@0x50"});
    expect_failure(run_usbio(sim({"gpio", "get", "0", "8"})), 1, {"offset 8"});
    expect_failure(run_usbio(sim({"gpio", "set", "0", "3=2"})), 1, {"3=2"});
    expect_failure(run_usbio(sim({"gpio", "mon", "-n", "x", "0", "3"})), 1, {"'x'"});
}

TEST(CliExitCodes, AdapterOpenFailureIsOne) {
    for (const Words& cmd : {Words{"i2c", "get", "-y", "1", "0x48"}, Words{"i2c", "set", "-y", "1", "0x48", "0", "0"},
                             Words{"i2c", "dump", "-y", "1", "0x48"}, Words{"i2c", "detect", "-y", "1"},
                             Words{"i2c", "transfer", "-y", "1", "r1@0x48"}, Words{"gpio", "detect", "1"},
                             Words{"gpio", "info", "1"}, Words{"gpio", "get", "1", "3"},
                             Words{"gpio", "set", "1", "3=1"}, Words{"gpio", "mon", "-n", "1", "1", "3"}}) {
        SCOPED_TRACE(cmd[0] + " " + cmd[1]);
        expect_failure(run_usbio(sim(cmd)), 1, {"no adapter with index 1"});
    }
}

TEST(CliExitCodes, I2cGetReadFailureIsTwo) {
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x30"})), 2, {"0x30"});
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x30", "0x00", "w"})), 2, {"0x30"});
    // Mode c writes the data address first; i2cget only warns when that
    // fails and then reports the read.
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x30", "0x00", "c"})), 2, {"0x30"});
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x30", "0x00", "i", "2"})), 2, {"0x30"});
}

TEST(CliExitCodes, WriteAndTransferFailuresAreOne) {
    expect_failure(run_usbio(sim({"i2c", "set", "-y", "0", "0x30", "0x00", "0x01"})), 1, {"0x30"});
    expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "r1@0x30"})), 1, {"0x30"});
}

TEST(CliExitCodes, DumpOfAnAbsentChipSucceedsWithXX) {
    auto r = run_usbio(sim({"i2c", "dump", "-y", "-r", "0x00-0x00", "0", "0x30"}));
    expect_success(r);
    EXPECT_NE(r.out.find("00: XX"), std::string::npos) << describe(r);
}

TEST(CliExitCodes, GpioMonUnplugIsOne) {
    auto r = run_usbio(sim({"gpio", "mon", "--sim-toggle", "5", "--sim-unplug-after-events", "1", "0", "5"}));
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_NE(r.err.find("device gone"), std::string::npos) << describe(r);
}

TEST(CliExitCodes, AnswerNoIsZero) {
    expect_aborted(run_usbio(sim({"i2c", "get", "0", "0x48"}), "n\n"));
    expect_aborted(run_usbio(sim({"i2c", "set", "0", "0x48", "0x01", "0x02"}), "N\n"));
    expect_aborted(run_usbio(sim({"i2c", "dump", "0", "0x48"}), "n\n"));
    expect_aborted(run_usbio(sim({"i2c", "detect", "0"}), "no\n"));
    // Default "no" questions: an empty answer declines.
    expect_aborted(run_usbio(sim({"i2c", "transfer", "0", "r1@0x48"}), "\n"));
    expect_aborted(run_usbio(sim({"i2c", "set", "0", "0x50", "0x00", "0x12"}), "\n"));
}

TEST(CliExitCodes, NoAnswerIsZero) {
    for (const Words& cmd :
         {Words{"i2c", "get", "0", "0x48"}, Words{"i2c", "set", "0", "0x48", "0x01", "0x02"},
          Words{"i2c", "dump", "0", "0x48"}, Words{"i2c", "detect", "0"}, Words{"i2c", "transfer", "0", "r1@0x48"}}) {
        SCOPED_TRACE(cmd[0] + " " + cmd[1]);
        expect_aborted(run_usbio(sim(cmd), ""));
    }
}

}  // namespace
}  // namespace usbio::test
