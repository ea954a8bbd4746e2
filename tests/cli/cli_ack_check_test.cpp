// SPDX-License-Identifier: Apache-2.0
// --ack-check MODE on the i2c commands that transfer: every mode on a
// simulated FT232H, only at_end on a CP2112 (which stops on a NACK itself),
// a word that is no mode refused before any adapter is touched.
#include <gtest/gtest.h>

#include "cli_expect.hpp"

namespace usbio::test {
namespace {

Words ft232h(const Words& rest) {
    Words w{"--no-usb", "--sim", "ft232h"};
    w.insert(w.end(), rest.begin(), rest.end());
    return w;
}

TEST(CliAckCheck, EveryCommandThatTransfersTakesIt) {
    for (const char* cmd : {"detect", "get", "set", "dump", "transfer"}) {
        auto r = run_usbio({"i2c", cmd, "--help"});
        EXPECT_EQ(r.exit_code, 0) << describe(r);
        EXPECT_NE(r.out.find("--ack-check MODE"), std::string::npos) << cmd << "\n" << r.out;
        EXPECT_NE(r.out.find("each_byte"), std::string::npos) << cmd << "\n" << r.out;
    }
}

TEST(CliAckCheck, Ft232hTransfersInEveryMode) {
    for (const char* mode : {"at_end", "after_address", "each_byte"}) {
        auto w = run_usbio(
            ft232h({"i2c", "transfer", "-y", "--ack-check", mode, "0", "w4@0x50", "0x00", "0x20", "0xa5", "0x5a"}));
        expect_success(w);
        auto r = run_usbio(ft232h({"i2c", "get", "-y", "--ack-check", mode, "0", "0x48", "0x00", "w"}));
        expect_success(r);
        EXPECT_EQ(r.out, "0x0019\n") << mode;  // the LM75's 25.0 degC, word data
        auto d = run_usbio(ft232h({"i2c", "detect", "-y", "--ack-check", mode, "0", "0x48", "0x50"}));
        expect_success(d);
        EXPECT_NE(d.out.find("48"), std::string::npos) << mode << "\n" << d.out;
        EXPECT_NE(d.out.find("50"), std::string::npos) << mode << "\n" << d.out;
    }
}

TEST(CliAckCheck, Cp2112HasOnlyAtEnd) {
    expect_success(run_usbio(sim({"i2c", "get", "-y", "--ack-check", "at_end", "0", "0x48", "0x00", "w"})));
    auto r = run_usbio(sim({"i2c", "get", "-y", "--ack-check", "each_byte", "0", "0x48", "0x00", "w"}));
    expect_failure(r, {"cp2112", "each_byte", "at_end is its only mode"});
    auto s = run_usbio(sim({"i2c", "set", "-y", "--ack-check", "after_address", "0", "0x48", "0x01", "0x00"}));
    expect_failure(s, {"after_address", "at_end is its only mode"});
}

TEST(CliAckCheck, UnknownModeIsAUsageError) {
    auto r = run_usbio(ft232h({"i2c", "dump", "-y", "--ack-check", "sometimes", "0", "0x50"}));
    expect_failure(r, {"invalid --ack-check mode 'sometimes'", "at_end, after_address or each_byte"});
}

}  // namespace
}  // namespace usbio::test
