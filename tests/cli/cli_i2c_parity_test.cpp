// SPDX-License-Identifier: Apache-2.0
// i2c-tools 4.3 parity: i2cdetect -F and -l, i2cdump modes s and W,
// i2cset's -m question and a read-back that fails.
#include <gtest/gtest.h>

#include "cli_expect.hpp"
#include "json_value.hpp"

namespace usbio::test {
namespace {

// What a CP2112 (61-byte writes, 512-byte reads, 16-byte write before a
// repeated-START read, no zero-length write) can do.
const char* const kCp2112Functionality =
    "Functionalities implemented by cp2112-SIM0001 i2c:\n"
    "I2C                              yes\n"
    "SMBus Quick Command              no\n"
    "SMBus Send Byte                  yes\n"
    "SMBus Receive Byte               yes\n"
    "SMBus Write Byte                 yes\n"
    "SMBus Read Byte                  yes\n"
    "SMBus Write Word                 yes\n"
    "SMBus Read Word                  yes\n"
    "SMBus Process Call               yes\n"
    "SMBus Block Write                yes\n"
    "SMBus Block Read                 yes\n"
    "SMBus Block Process Call         no\n"
    "SMBus PEC                        no\n"
    "I2C Block Write                  yes\n"
    "I2C Block Read                   yes\n";

TEST(CliI2cDetectF, ListsWhatTheAdapterCanDo) {
    auto r = run_usbio(sim({"i2c", "detect", "-F", "0"}));
    expect_success(r);  // no question asked: nothing is probed
    EXPECT_EQ(r.out, kCp2112Functionality);

    auto j = run_usbio(sim({"--json", "i2c", "detect", "-F", "0"}));
    expect_success(j);
    const JsonValue doc = parse_json(j.out);
    EXPECT_EQ(doc.at("adapter").string, "sim0:1.0");
    const auto& f = doc.at("functionality").array;
    ASSERT_EQ(f.size(), 15u);
    EXPECT_EQ(f[1].at("name").string, "SMBus Quick Command");
    EXPECT_FALSE(f[1].at("supported").boolean);
    EXPECT_TRUE(f[10].at("supported").boolean);
}

TEST(CliI2cDetectF, BadCombinations) {
    expect_failure(run_usbio(sim({"i2c", "detect", "-F", "-r", "0"})), {"-F"});
    expect_failure(run_usbio(sim({"i2c", "detect", "-F", "0", "0x10"})), {"'0x10'", "-F"});
    expect_failure(run_usbio(sim({"i2c", "detect", "-F", "1"})), {"no adapter with index 1"});
    expect_failure(run_usbio(sim({"i2c", "detect", "-F"})), {"too few arguments"});
}

TEST(CliI2cDetectL, OneLinePerBusInI2cdetectsFormat) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112,cp2112", "i2c", "detect", "-l"});
    expect_success(r);
    EXPECT_EQ(r.out,
              "i2c-0\ti2c       \tcp2112-SIM0001 i2c              \tI2C adapter\n"
              "i2c-1\ti2c       \tcp2112-SIM0002 i2c              \tI2C adapter\n");
    auto j = run_usbio({"--no-usb", "--sim", "cp2112,cp2112", "--json", "i2c", "detect", "-l"});
    expect_success(j);
    const JsonValue doc = parse_json(j.out);
    const auto& buses = doc.at("buses").array;
    ASSERT_EQ(buses.size(), 2u);
    EXPECT_EQ(buses[1].at("index").number, 1);
    EXPECT_EQ(buses[1].at("adapter").string, "sim1:1.0");
    EXPECT_EQ(buses[1].at("name").string, "cp2112-SIM0002 i2c");

    auto none = run_usbio({"--no-usb", "i2c", "detect", "-l"});
    expect_success(none);
    EXPECT_EQ(none.out, "");
    expect_failure(run_usbio(sim({"i2c", "detect", "-l", "0"})), {"'0'", "-l"});
}

// The LM75 at 0x48 answers an SMBus block read of its temperature register
// (25 C: 0x19 0x00, repeated) with a count of 0x19 and 25 bytes.
TEST(CliI2cDumpS, OneSmbusBlockAsLongAsTheDeviceSays) {
    auto r = run_usbio(sim({"i2c", "dump", "-y", "0", "0x48", "s"}));
    expect_success(r);
    EXPECT_EQ(r.out, std::string("     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f    0123456789abcdef\n") +
                         "00: 00 19 00 19 00 19 00 19 00 19 00 19 00 19 00 19    .?.?.?.?.?.?.?.?\n"
                         "10: 00 19 00 19 00 19 00 19 00 " +
                         std::string(7 * 3 + 3, ' ') + ".?.?.?.?.\n");
    auto j = run_usbio(sim({"--json", "i2c", "dump", "-y", "0", "0x48", "s", "0x00"}));
    expect_success(j);
    const JsonValue doc = parse_json(j.out);
    EXPECT_EQ(doc.at("mode").string, "s");
    EXPECT_EQ(doc.at("command").number, 0);
    EXPECT_EQ(doc.at("last").number, 24);
    EXPECT_EQ(doc.at("values").array.size(), 25u);
}

TEST(CliI2cDumpS, ErrorsAreClear) {
    // The configuration register (0x01) reads 0x00: an empty block.
    expect_failure(run_usbio(sim({"i2c", "dump", "-y", "0", "0x48", "s", "0x01"})),
                   {"cp2112 [serial SIM0001]", "0x48", "command 0x01", "no data"});
    // Hysteresis, 75 C: a count of 0x4b, more than a block holds.
    expect_failure(run_usbio(sim({"i2c", "dump", "-y", "0", "0x48", "s", "0x02"})), {"block count 75"});
    expect_failure(run_usbio(sim({"i2c", "dump", "-y", "0", "0x30", "s"})), {"0x30", "ENXIO"});
    expect_failure(run_usbio(sim({"i2c", "dump", "-y", "-r", "0-3", "0", "0x48", "s"})), {"-r", "mode s"});
    expect_failure(run_usbio(sim({"i2c", "dump", "-y", "0", "0x48", "s", "0x100"})), {"0x100"});
    expect_failure(run_usbio(sim({"i2c", "dump", "-y", "0", "0x48", "b", "1"})), {"only mode s takes a COMMAND"});
}

TEST(CliI2cDumpS, AsksWithTheCommand) {
    auto r = run_usbio(sim({"i2c", "dump", "0", "0x48", "s", "0x03"}), "n\n");
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("chip address 0x48, command 0x03, mode SMBus block.\nContinue? [Y/n] "), std::string::npos)
        << r.err;
}

// Mode W reads a word on each even register: its low byte is that register,
// its high byte the next. The LM75 sends its registers high byte first, so
// its 0x1900 (25 C) arrives as the word 0x0019.
TEST(CliI2cDumpW, WordsOnEvenRegistersFillTheByteTable) {
    auto w = run_usbio(sim({"i2c", "dump", "-y", "-r", "0x00-0x0f", "0", "0x48", "W"}));
    expect_success(w);
    EXPECT_EQ(w.out,
              "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f    0123456789abcdef\n"
              "00: 19 00 4b 00 19 00 4b 00 19 00 4b 00 19 00 4b 00    ?.K.?.K.?.K.?.K.\n");
    // Byte mode reads every register on its own: the odd ones differ.
    auto b = run_usbio(sim({"i2c", "dump", "-y", "-r", "0x00-0x03", "0", "0x48", "b"}));
    expect_success(b);
    EXPECT_EQ(lines_of(b.out).at(1), "00: 19 00 4b 50 " + std::string(12 * 3, ' ') + "   ?.KP" + std::string(12, ' '));
}

TEST(CliI2cDumpW, FailedWordsAndRanges) {
    auto r = run_usbio(sim({"i2c", "dump", "-y", "-r", "0x10-0x13", "0", "0x30", "W"}));
    expect_success(r);
    EXPECT_EQ(lines_of(r.out).at(1), "10: XX XX XX XX " + std::string(12 * 3, ' ') + "   XXXX" + std::string(12, ' '));
    auto all = run_usbio(sim({"--json", "i2c", "dump", "-y", "0", "0x48", "W"}));
    expect_success(all);
    EXPECT_EQ(parse_json(all.out).at("values").array.size(), 256u);
    expect_failure(run_usbio(sim({"i2c", "dump", "-y", "-r", "0x01-0x0f", "0", "0x48", "W"})),
                   {"mode W", "FIRST must be even and LAST odd"});
    expect_failure(run_usbio(sim({"i2c", "dump", "-y", "-r", "0x00-0x0e", "0", "0x48", "W"})), {"mode W"});
}

// i2cset -m without -y asks a second time, once the old value is known.
TEST(CliI2cSetMask, SecondQuestionShowsOldValueMaskAndResult) {
    // LM75 configuration register: 0x00 at start; five writable bits.
    auto r = run_usbio(sim({"i2c", "set", "-r", "-m", "0x0f", "0", "0x48", "0x01", "0x1f"}), "y\ny\n");
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.out, "Value 0x0f written, readback matched\n");
    EXPECT_NE(r.err.find("mask 0x0f, mode byte data.\nContinue? [Y/n] "
                         "Old value 0x00, write mask 0x0f: Will write 0x0f to register 0x01\nContinue? [Y/n] "),
              std::string::npos)
        << r.err;

    auto word = run_usbio(sim({"i2c", "set", "-m", "0xff00", "0", "0x48", "0x03", "0x1234", "w"}), "\n\n");
    EXPECT_EQ(word.exit_code, 0) << describe(word);
    // Tos reads 0x0050 (80 C, high byte first).
    EXPECT_NE(word.err.find("Old value 0x0050, write mask 0xff00: Will write 0x1250 to register 0x03\n"),
              std::string::npos)
        << word.err;
}

TEST(CliI2cSetMask, NoToTheSecondQuestionWritesNothing) {
    auto r = run_usbio(sim({"i2c", "set", "-r", "-m", "0x0f", "0", "0x48", "0x01", "0x1f"}), "y\nn\n");
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.out, "");  // no write, so no read-back line
    EXPECT_NE(r.err.find("Will write 0x0f to register 0x01\nContinue? [Y/n] usbio: Aborting on user request.\n"),
              std::string::npos)
        << r.err;
    // With -y there is no question at all.
    auto y = run_usbio(sim({"i2c", "set", "-y", "-r", "-m", "0x0f", "0", "0x48", "0x01", "0x1f"}));
    expect_success(y);
    EXPECT_EQ(y.out, "Value 0x0f written, readback matched\n");
}

// i2cset: the write went through, the read-back did not: a warning, exit 0.
TEST(CliI2cSetReadback, FailedReadbackWarnsAndSucceeds) {
    auto r = run_usbio(sim({"i2c", "set", "-y", "-r", "--sim-unplug-before-readback", "0", "0x48", "0x01", "0x02"}));
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.out, "Warning - readback failed\n");
    EXPECT_EQ(r.err.rfind("usbio: readback failed: cp2112 [serial SIM0001]: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("device gone"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;

    expect_failure(run_usbio(sim({"i2c", "set", "-y", "--sim-unplug-before-readback", "0", "0x48", "0x01", "0x02"})),
                   {"--sim-unplug-before-readback needs -r"});
}

TEST(CliI2cSetReadback, JsonGivesTheOutcomeAsOneObject) {
    auto ok = run_usbio(sim({"--json", "i2c", "set", "-y", "-r", "0", "0x48", "0x01", "0x02"}));
    expect_success(ok);
    EXPECT_EQ(ok.out,
              "{\"adapter\":\"sim0:1.0\",\"address\":72,\"register\":1,\"written\":2,\"readback\":2,"
              "\"matched\":true}\n");
    auto failed = run_usbio(
        sim({"--json", "i2c", "set", "-y", "-r", "--sim-unplug-before-readback", "0", "0x48", "0x01", "0x02"}));
    EXPECT_EQ(failed.exit_code, 0) << describe(failed);
    EXPECT_EQ(failed.out, "{\"adapter\":\"sim0:1.0\",\"address\":72,\"register\":1,\"written\":2,\"readback\":null}\n");
    EXPECT_NE(failed.err.find("readback failed"), std::string::npos) << failed.err;
}

}  // namespace
}  // namespace usbio::test
