// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <cstdio>
#include <regex>

#include "cli_expect.hpp"
#include "json_value.hpp"

namespace usbio::test {
namespace {

// The simulated CP2112 carries an LM75 at 0x48 and a 24C32 at 0x50.
const std::string kDetectGrid =
    "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f\n"
    "00:                         -- -- -- -- -- -- -- -- \n"
    "10: -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- \n"
    "20: 20 -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- \n"
    "30: -- -- -- -- -- -- -- -- 38 -- -- -- -- -- -- -- \n"
    "40: -- -- -- -- -- -- -- -- 48 -- -- -- -- -- -- -- \n"
    "50: 50 -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- \n"
    "60: -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- \n"
    "70: -- -- -- -- -- -- -- --                         \n";

TEST(CliI2cDetect, GridShowsExpandersSensorAndEeprom) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "detect", "-y", "0"});
    expect_success(r);
    EXPECT_EQ(r.out, kDetectGrid);
}

// The simulated FT232H carries the same targets; its default probe is the
// quick write the MPSSE can do.
TEST(CliI2cDetect, Ft232hGridShowsExpandersSensorAndEeprom) {
    auto r = run_usbio({"--no-usb", "--sim", "ft232h", "i2c", "detect", "-y", "0"});
    expect_success(r);
    EXPECT_EQ(r.out, kDetectGrid);
}

TEST(CliI2cDetect, EachPortOfAnFt2232hIsAnAdapterWithItsOwnBus) {
    auto list = run_usbio({"--no-usb", "--sim", "ft2232h", "list"});
    expect_success(list);
    const auto lines = lines_of(list.out);
    ASSERT_EQ(lines.size(), 3u) << list.out;
    EXPECT_NE(lines[1].find("sim0:1.0"), std::string::npos) << list.out;
    EXPECT_NE(lines[2].find("sim0:1.1"), std::string::npos) << list.out;
    for (const char* port : {"0", "1", "sim0:1.1"}) {
        auto r = run_usbio({"--no-usb", "--sim", "ft2232h", "i2c", "detect", "-y", port});
        expect_success(r);
        EXPECT_NE(r.out.find("40: -- -- -- -- -- -- -- -- 48"), std::string::npos) << port << "\n" << r.out;
    }
    auto gpio = run_usbio({"--no-usb", "--sim", "ft2232h", "gpio", "detect"});
    expect_success(gpio);
    EXPECT_EQ(gpio.out,
              "ft2232h-SIM0001-A [ftdi_mpsse_gpio] (13 lines)\nft2232h-SIM0001-B [ftdi_mpsse_gpio] (13 lines)\n");
}

TEST(CliI2cDetect, ReadProbeGivesTheSameGrid) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "detect", "-y", "-r", "0"});
    expect_success(r);
    EXPECT_EQ(r.out, kDetectGrid);
}

TEST(CliI2cDetect, AllAddressesAndSubrange) {
    auto all = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "detect", "-y", "-a", "0"});
    expect_success(all);
    auto lines = lines_of(all.out);
    ASSERT_EQ(lines.size(), 9u);
    EXPECT_EQ(lines[1], "00: -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- ");
    EXPECT_EQ(lines[8], "70: -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- ");

    auto part = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "detect", "-y", "0", "0x48", "0x49"});
    expect_success(part);
    lines = lines_of(part.out);
    ASSERT_EQ(lines.size(), 9u);
    EXPECT_EQ(lines[5], "40:                         48 --                   ");
    EXPECT_EQ(lines[6], "50:                                                 ");
}

TEST(CliI2cDetect, QuickWriteOnlyIsRefusedByTheCp2112) {
    expect_failure(run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "detect", "-y", "-q", "0"}), {"quick write"});
}

TEST(CliI2cDetect, Json) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "--json", "i2c", "detect", "-y", "0"});
    expect_success(r);
    auto doc = parse_json(r.out);
    const auto& found = doc.at("addresses").array;
    ASSERT_EQ(found.size(), 4u);
    EXPECT_EQ(found[0].number, 0x20);  // PCA9555
    EXPECT_EQ(found[1].number, 0x38);  // PCF8574
    EXPECT_EQ(found[2].number, 0x48);
    EXPECT_EQ(found[3].number, 0x50);
}

// i2c-tools take no answer as a "no" and end with exit status 0.
TEST(CliI2cConfirm, EndOfInputMeansNo) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "detect", "0"}, "");
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("WARNING!"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Continue? [Y/n] usbio: Aborting on user request.\n"), std::string::npos) << r.err;
}

TEST(CliI2cConfirm, AnswerNoAborts) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "get", "0", "0x48", "0x00"}, "n\n");
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("Continue? [Y/n] usbio: Aborting on user request.\n"), std::string::npos) << r.err;
}

TEST(CliI2cConfirm, AnswerYesOrDefaultProceeds) {
    for (const char* answer : {"y\n", "Y\n", "\n"}) {
        auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "detect", "0"}, answer);
        EXPECT_EQ(r.exit_code, 0) << describe(r);
        EXPECT_EQ(r.out, kDetectGrid);
        EXPECT_NE(r.err.find("Continue? [Y/n] "), std::string::npos);
    }
}

TEST(CliI2cConfirm, TransferDefaultsToNo) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "transfer", "0", "w1@0x50", "0x00", "r1"}, "\n");
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("Aborting on user request."), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("msg 0: addr 0x50, write, len 1, buf 0x00"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("msg 1: addr 0x50, read, len 1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Continue? [y/N] "), std::string::npos) << r.err;
}

TEST(CliI2cTransfer, ReadsEepromAfterSettingTheAddress) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "transfer", "-y", "0", "w2@0x50", "0x00", "0x00", "r8"});
    expect_success(r);
    EXPECT_EQ(r.out, "0xff 0xff 0xff 0xff 0xff 0xff 0xff 0xff\n");
}

TEST(CliI2cTransfer, VerbosePrintsEveryMessage) {
    auto r = run_usbio(
        {"--no-usb", "--sim", "cp2112", "i2c", "transfer", "-y", "-v", "0", "w4@0x50", "0x00", "0x10", "0x41+"});
    expect_success(r);
    EXPECT_EQ(r.out, "msg 0: addr 0x50, write, len 4, buf 0x00 0x10 0x41 0x42\n");
}

TEST(CliI2cTransfer, SensorRead) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "transfer", "-y", "0", "w1@0x48", "0x00", "r2"});
    expect_success(r);
    EXPECT_EQ(r.out, "0x19 0x00\n");  // 25 degrees C, MSB first
}

// "0x19 0x00 0x19 ...": `count` bytes after the count byte, alternating
// between a register's two bytes as the LM75 repeats them.
std::string block_text(unsigned count, const std::string& even, const std::string& odd) {
    char first[8];
    std::snprintf(first, sizeof first, "0x%02x", count);
    std::string text = first;
    for (unsigned i = 1; i <= count; ++i) text += " " + (i % 2 == 0 ? even : odd);
    return text;
}

const std::string kTemperatureBlock =
    "0x19 0x00 0x19 0x00 0x19 0x00 0x19 0x00 0x19 0x00 0x19 0x00 0x19 "
    "0x00 0x19 0x00 0x19 0x00 0x19 0x00 0x19 0x00 0x19 0x00 0x19 0x00";

// An SMBus-style block read ('r?'): the LM75 answers with its register
// over and over, so the count byte is the temperature's MSB (0x19 = 25 at
// 25 degC) and 25 bytes follow, 26 in all.
TEST(CliI2cTransfer, BlockReadPrintsEveryByte) {
    const std::vector<std::string> words{"--no-usb", "--sim", "cp2112",  "i2c",  "transfer",
                                         "-y",       "0",     "w1@0x48", "0x00", "r?"};
    auto r = run_usbio(words);
    expect_success(r);
    EXPECT_EQ(r.out, kTemperatureBlock + "\n");
    EXPECT_EQ(block_text(25, "0x19", "0x00"), kTemperatureBlock);

    auto verbose = words;
    verbose.insert(verbose.begin() + 6, "-v");
    r = run_usbio(verbose);
    expect_success(r);
    EXPECT_EQ(r.out, "msg 0: addr 0x48, write, len 1, buf 0x00\nmsg 1: addr 0x48, read, len 26, buf " +
                         kTemperatureBlock + "\n");

    auto json = words;
    json.insert(json.begin() + 3, "--json");
    r = run_usbio(json);
    expect_success(r);
    const auto doc = parse_json(r.out);
    const auto& data = doc.at("messages").array.at(1).at("data").array;
    ASSERT_EQ(data.size(), 26u) << r.out;
    EXPECT_EQ(data.front().number, 25);
    for (std::size_t i = 1; i < data.size(); ++i) EXPECT_EQ(data[i].number, i % 2 == 0 ? 0x19 : 0) << i;
}

TEST(CliI2cTransfer, BlockReadLastByteIsRead) {
    // THYST set to 0x1980 in the same transfer: the last of the 26 bytes is
    // 0x80, which no zero-filled buffer could pass for.
    auto r = run_usbio(
        {"--no-usb", "--sim", "cp2112", "i2c", "transfer", "-y", "0", "w3@0x48", "0x02", "0x19", "0x80", "r?"});
    expect_success(r);
    EXPECT_EQ(r.out, block_text(25, "0x19", "0x80") + "\n");
}

TEST(CliI2cTransfer, BlockCountBeyond32Fails) {
    // THYST 0x7d00: a count byte of 125, more than an SMBus block holds.
    expect_failure(run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "transfer", "-y", "0", "w3@0x48", "0x02", "0x7d",
                              "0x00", "r?"}),
                   {"0x48", "block count 125"});
}

TEST(CliI2cTransfer, NoAckNamesTheAddress) {
    expect_failure(run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "transfer", "-y", "0", "r1@0x30"}), {"0x30"});
}

TEST(CliI2cGet, SensorWordAt25Degrees) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "get", "-y", "0", "0x48", "0x00", "w"});
    expect_success(r);
    EXPECT_EQ(r.out, "0x0019\n");
}

TEST(CliI2cGet, ByteModes) {
    auto b = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "get", "-y", "0", "0x48", "0x00"});
    expect_success(b);
    EXPECT_EQ(b.out, "0x19\n");
    auto c = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "get", "-y", "0", "0x48", "0x00", "c"});
    expect_success(c);
    EXPECT_EQ(c.out, "0x19\n");
    auto i = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "get", "-y", "0", "0x48", "0x00", "i", "2"});
    expect_success(i);
    EXPECT_EQ(i.out, "0x19 0x00\n");
}

TEST(CliI2cGet, Json) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "--json", "i2c", "get", "-y", "0", "72", "0", "w"});
    expect_success(r);
    auto doc = parse_json(r.out);
    EXPECT_EQ(doc.at("address").number, 0x48);
    EXPECT_EQ(doc.at("value").number, 0x19);
}

// i2cget: "Error: Read failed", exit status 2.
TEST(CliI2cGet, NoAckFailsWithReadFailedStatus) {
    expect_failure(run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "get", "-y", "0", "0x30", "0x00"}), 2, {"0x30"});
}

TEST(CliI2cSet, ReadbackMatches) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "set", "-y", "-r", "0", "0x48", "0x01", "0x02"});
    expect_success(r);
    EXPECT_EQ(r.out, "Value 0x02 written, readback matched\n");
}

TEST(CliI2cSet, WordReadback) {
    // LM75 Tos register (0x03) holds a word; only the top 9 bits are kept.
    auto w = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "set", "-y", "-r", "0", "0x48", "0x03", "0x8037", "w"});
    expect_success(w);
    EXPECT_EQ(w.out, "Value 0x8037 written, readback matched\n");
}

TEST(CliI2cSet, EepromWriteAsksWithDefaultNo) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "set", "0", "0x50", "0x00", "0x12"}, "\n");
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_NE(r.err.find("Aborting on user request."), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Continue? [y/N] "), std::string::npos) << r.err;
}

TEST(CliI2cDump, EepromTable) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "dump", "-y", "0", "0x50"});
    expect_success(r);
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 17u) << r.out;
    EXPECT_EQ(lines[0], "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f    0123456789abcdef");
    const char* digits = "0123456789abcdef";
    for (int row = 0; row < 16; ++row)
        EXPECT_EQ(lines[1 + row], std::string(1, digits[row]) +
                                      "0: " + "ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff    ................");
}

TEST(CliI2cDump, RangeAndJson) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "dump", "-y", "-r", "0x00-0x01", "0", "0x48"});
    expect_success(r);
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 2u) << r.out;
    // 0x19 is not printable ('?'); 0x00 shows as '.'.
    EXPECT_EQ(lines[1], "00: 19 00 " + std::string(14 * 3, ' ') + "   ?." + std::string(14, ' '));

    auto j = run_usbio({"--no-usb", "--sim", "cp2112", "--json", "i2c", "dump", "-y", "-r", "0-3", "0", "0x50"});
    expect_success(j);
    auto doc = parse_json(j.out);
    const auto& values = doc.at("values").array;
    ASSERT_EQ(values.size(), 4u);
    for (const auto& v : values) EXPECT_EQ(v.number, 0xff);
}

TEST(CliI2cDump, FailedReadsShowAsXX) {
    auto r = run_usbio({"--no-usb", "--sim", "cp2112", "i2c", "dump", "-y", "-r", "0x10-0x11", "0", "0x30"});
    expect_success(r);
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 2u) << r.out;
    EXPECT_EQ(lines[1], "10: XX XX " + std::string(14 * 3, ' ') + "   XX" + std::string(14, ' '));
}

}  // namespace
}  // namespace usbio::test
