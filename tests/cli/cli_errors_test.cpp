// SPDX-License-Identifier: Apache-2.0
// Bad input ends with exit status 1 and one line "usbio: ..." naming the
// problem, never a crash or a stack trace.
#include <gtest/gtest.h>

#include "cli_expect.hpp"

namespace usbio::test {
namespace {

TEST(CliErrors, LineOutOfRange) {
    expect_failure(run_usbio(sim({"gpio", "get", "0", "8"})), {"offset 8", "out of range"});
    expect_failure(run_usbio(sim({"gpio", "set", "0", "8=1"})), {"offset 8", "out of range"});
    expect_failure(run_usbio(sim({"gpio", "get", "0", "99999999999999999999"})), {"out of range"});
}

TEST(CliErrors, UnknownLineName) {
    expect_failure(run_usbio(sim({"gpio", "get", "0", "nosuchline"})), {"cannot find line 'nosuchline'"});
}

TEST(CliErrors, SameLineTwice) { expect_failure(run_usbio(sim({"gpio", "get", "0", "3", "3"})), {"same line"}); }

TEST(CliErrors, BadLineValueAndDrive) {
    expect_failure(run_usbio(sim({"gpio", "set", "0", "3=2"})), {"3=2"});
    expect_failure(run_usbio(sim({"gpio", "set", "0", "3"})), {"'3'", "LINE=VALUE"});
    expect_failure(run_usbio(sim({"gpio", "set", "-D", "sideways", "0", "3=1"})), {"sideways"});
}

TEST(CliErrors, ChipAddressOutOfRange) {
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x80"})), {"0x80", "out of range"});
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "-a", "0", "0x80"})), {"0x80", "out of range"});
    expect_failure(run_usbio(sim({"i2c", "set", "-y", "0", "0x03", "0", "0"})), {"0x03", "out of range"});
    expect_failure(run_usbio(sim({"i2c", "dump", "-y", "0", "200"})), {"200", "out of range"});
    expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "r1@0x80"})), {"0x80", "out of range"});
}

TEST(CliErrors, NotANumber) {
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x4g"})), {"'0x4g'", "not a number"});
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x48", "0x100"})), {"data address", "0x100"});
    expect_failure(run_usbio(sim({"i2c", "set", "-y", "0", "0x48", "1", "0x100"})), {"value", "0x100"});
    // Only letters make a MODE: anything else last is a VALUE.
    expect_failure(run_usbio(sim({"i2c", "set", "-y", "0", "0x48", "1", "0x4g"})), {"value '0x4g' is not a number"});
}

// strtol skips leading white space; the command refuses it in every kind of
// number alike (a trailing blank was never accepted either).
TEST(CliErrors, LeadingBlankRefusedInEveryNumber) {
    for (const std::string b : {" ", "\t"}) {
        SCOPED_TRACE("blank '" + b + "'");
        // adapter index (then tried as a name)
        expect_failure(run_usbio(sim({"i2c", "get", "-y", b + "0", "0x48"})), {"no adapter matches '" + b + "0'"});
        expect_failure(run_usbio(sim({"i2c", "get", "-y", b + "0x0", "0x48"})), {"no adapter matches '" + b + "0x0'"});
        // chip address, data address, length
        expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", b + "0x48"})),
                       {"chip address '" + b + "0x48' is not a number"});
        expect_failure(run_usbio(sim({"i2c", "detect", "-y", "0", b + "0x10", "0x20"})),
                       {"chip address '" + b + "0x10' is not a number"});
        expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x48", b + "0"})),
                       {"data address '" + b + "0' is not a number"});
        expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x48", "0", "i", b + "4"})),
                       {"length '" + b + "4' is not a number"});
        // values followed by a mode, a mask, a register range
        expect_failure(run_usbio(sim({"i2c", "set", "-y", "0", "0x48", "1", b + "5", "b"})),
                       {"value '" + b + "5' is not a number"});
        expect_failure(run_usbio(sim({"i2c", "set", "-y", "0", "0x48", "1", b + "5"})),
                       {"value '" + b + "5' is not a number"});
        expect_failure(run_usbio(sim({"i2c", "set", "-y", "0", "0x48", "1", "2", b + "3", "i"})),
                       {"value '" + b + "3' is not a number"});
        expect_failure(run_usbio(sim({"i2c", "set", "-y", "-m", b + "0x0f", "0", "0x48", "1", "5"})),
                       {"mask '" + b + "0x0f' is not a number"});
        expect_failure(run_usbio(sim({"i2c", "dump", "-y", "-r", b + "0-3", "0", "0x48"})),
                       {"first register '" + b + "0' is not a number"});
        // transfer-list bytes, suffixed or not, and the numbers in a DESC
        expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "w1@0x50", b + "0x00"})),
                       {"invalid data byte '" + b + "0x00'"});
        expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "w2@0x50", b + "0x00="})),
                       {"invalid data byte '" + b + "0x00='"});
        expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "r1@" + b + "0x50"})),
                       {"chip address '" + b + "0x50' is not a number"});
        expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "r" + b + "1@0x50"})), {"length must be a number"});
        // line offsets (then tried as a name)
        expect_failure(run_usbio(sim({"gpio", "get", "0", b + "3"})), {"cannot find line '" + b + "3'"});
        expect_failure(run_usbio(sim({"gpio", "set", "0", b + "3=1"})), {"cannot find line '" + b + "3'"});
        // counts
        expect_failure(run_usbio(sim({"gpio", "mon", "-n", b + "1", "0", "3"})),
                       {"'" + b + "1' is not a decimal number"});
        expect_failure(run_usbio(sim({"watch", "--count", b + "1"})), {"'" + b + "1' is not a decimal number"});
    }
}

TEST(CliErrors, BadMode) {
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x48", "0", "z"})), {"mode 'z'"});
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x48", "0", "bp"})), {"PEC"});
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0", "0x48", "0", "b", "4"})), {"LENGTH"});
    expect_failure(run_usbio(sim({"i2c", "set", "-y", "0", "0x48", "1", "c", "w"})), {"value 'c'"});
    expect_failure(run_usbio(sim({"i2c", "set", "-y", "-r", "0", "0x48", "1", "2", "3", "i"})), {"block"});
}

TEST(CliErrors, MalformedTransferMessages) {
    expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "x2@0x50"})), {"x2@0x50"});
    expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "w2@0x50", "0x00"})),
                   {"w2@0x50", "2 data bytes", "got 1"});
    expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "r0"})), {"'r0'", "at least 1"});
    expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "r8"})), {"'r8'", "no address"});
    expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "w1@0x50", "0x1ff"})), {"0x1ff"});
}

TEST(CliErrors, TransferTheAdapterCannotExpress) {
    // Two writes in one transfer: more than a CP2112 can send.
    expect_failure(run_usbio(sim({"i2c", "transfer", "-y", "0", "w1@0x50", "0", "w1", "0"})), {});
}

TEST(CliErrors, UnknownAdapter) {
    expect_failure(run_usbio(sim({"i2c", "detect", "-y", "5"})), {"5"});
    expect_failure(run_usbio(sim({"gpio", "info", "NOSUCHSERIAL"})), {"NOSUCHSERIAL"});
    expect_failure(run_usbio({"--no-usb", "i2c", "get", "-y", "0", "0x48"}), {"0"});
}

TEST(CliErrors, UnknownSimulatedChip) {
    expect_failure(run_usbio({"--no-usb", "--sim", "nosuchchip", "list"}), {"nosuchchip"});
    expect_failure(run_usbio({"--no-usb", "--sim", "cp2112,", "list"}), {"--sim"});
}

TEST(CliErrors, UnknownCommands) {
    expect_failure(run_usbio({"frobnicate"}), {"unknown command 'frobnicate'", "usbio --help"});
    expect_failure(run_usbio({"gpio", "frob"}), {"unknown command 'gpio frob'"});
    expect_failure(run_usbio({"i2c", "frob"}), {"unknown command 'i2c frob'"});
    expect_failure(run_usbio({"i2c"}), {"needs a command"});
    expect_failure(run_usbio({}), {"no command"});
}

TEST(CliErrors, UnknownOptionsAndMissingArguments) {
    expect_failure(run_usbio({"--frob", "list"}), {"--frob"});
    expect_failure(run_usbio(sim({"i2c", "detect", "--frob", "0"})), {"--frob", "usbio i2c detect --help"});
    expect_failure(run_usbio(sim({"i2c", "get", "-y", "0"})), {"too few arguments", "i2c get"});
    expect_failure(run_usbio(sim({"list", "extra"})), {"'extra'"});
    expect_failure(run_usbio(sim({"i2c", "detect", "-y", "-q", "-r", "0"})), {"-q", "-r"});
    expect_failure(run_usbio({"--no-usb", "--sim"}), {"sim"});
}

}  // namespace
}  // namespace usbio::test
