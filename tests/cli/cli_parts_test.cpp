#include <gtest/gtest.h>

#include "app.hpp"
#include "json_value.hpp"
#include "numbers.hpp"
#include "output.hpp"
#include "transfer_parse.hpp"

namespace usbio::cli {
namespace {

TEST(CliNumbers, ReadsLikeStrtolBaseZero) {
    EXPECT_EQ(parse_long("0x48"), 0x48);
    EXPECT_EQ(parse_long("72"), 72);
    EXPECT_EQ(parse_long("010"), 8);  // octal, as i2c-tools reads it
    EXPECT_EQ(parse_long("0X1f"), 0x1f);
}

TEST(CliNumbers, RejectsGarbage) {
    for (const char* bad : {"", "0x", "0x4g", "12a", " 1", "1 ", "b", "0x48,"}) EXPECT_FALSE(parse_long(bad)) << bad;
}

TEST(CliNumbers, ChipAddressRanges) {
    EXPECT_EQ(parse_chip_address("0x08", false), 0x08);
    EXPECT_EQ(parse_chip_address("0x77", false), 0x77);
    EXPECT_THROW(parse_chip_address("0x07", false), UsageError);
    EXPECT_THROW(parse_chip_address("0x78", false), UsageError);
    EXPECT_EQ(parse_chip_address("0x00", true), 0x00);
    EXPECT_EQ(parse_chip_address("0x7f", true), 0x7f);
    EXPECT_THROW(parse_chip_address("0x80", true), UsageError);
    try {
        parse_chip_address("0x80", false);
        FAIL() << "0x80 accepted";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "chip address 0x80 out of range (0x08-0x77)");
    }
}

TEST(CliJson, EscapesStrings) {
    EXPECT_EQ(json_string("plain"), "\"plain\"");
    EXPECT_EQ(json_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(json_string("l1\nl2\t\r"), "\"l1\\nl2\\t\\r\"");
    EXPECT_EQ(json_string(std::string("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\\u007f\"");
    EXPECT_EQ(json_string("\xc3\xa9"), "\"\xc3\xa9\"");  // UTF-8 passes through
}

TEST(CliJson, ObjectsParseBack) {
    std::string nasty = "q\"uo\\te\n\x02";
    std::string text = JsonObject()
                           .str("s", nasty)
                           .num("n", -42)
                           .flag("b", true)
                           .raw("a", json_number_array({1, 2, 255}))
                           .raw("e", json_array({}))
                           .text();
    auto v = test::parse_json(text);
    EXPECT_EQ(v.at("s").string, nasty);
    EXPECT_EQ(v.at("n").number, -42);
    EXPECT_TRUE(v.at("b").boolean);
    ASSERT_EQ(v.at("a").array.size(), 3u);
    EXPECT_EQ(v.at("a").array[2].number, 255);
    EXPECT_TRUE(v.at("e").array.empty());
}

TEST(CliTable, AlignsColumnsWithoutTrailingBlanks) {
    EXPECT_EQ(format_table({{"A", "BB", "C"}, {"long", "x", ""}}), "A     BB  C\nlong  x\n");
}

TEST(CliTransferSyntax, ParsesMessages) {
    auto msgs = parse_messages({"w2@0x50", "0x00", "0x10", "r8"}, false);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_FALSE(msgs[0].read);
    EXPECT_EQ(msgs[0].addr, 0x50);
    EXPECT_EQ(msgs[0].buf, (std::vector<uint8_t>{0x00, 0x10}));
    EXPECT_TRUE(msgs[1].read);
    EXPECT_EQ(msgs[1].addr, 0x50);  // the previous message's address
    EXPECT_EQ(msgs[1].buf.size(), 8u);
}

TEST(CliTransferSyntax, Suffixes) {
    EXPECT_EQ(parse_messages({"w4@0x50", "7="}, false)[0].buf, (std::vector<uint8_t>{7, 7, 7, 7}));
    EXPECT_EQ(parse_messages({"w4@0x50", "1", "0xfe+"}, false)[0].buf, (std::vector<uint8_t>{1, 0xfe, 0xff, 0x00}));
    EXPECT_EQ(parse_messages({"w3@0x50", "0x01-"}, false)[0].buf, (std::vector<uint8_t>{1, 0, 0xff}));
    // i2ctransfer's generator from seed 0: (0^27)+13 = 0x28, rotated left =
    // 0x50; then 0x50^27 = 0x4b, +13 = 0x58, rotated = 0xb0.
    EXPECT_EQ(parse_messages({"w3@0x50", "0p"}, false)[0].buf, (std::vector<uint8_t>{0x00, 0x50, 0xb0}));
}

TEST(CliTransferSyntax, RecvLen) {
    auto m = parse_messages({"r?@0x50"}, false)[0];
    EXPECT_TRUE(m.recv_len);
    EXPECT_EQ(m.buf.size(), 33u);
}

void expect_rejected(const Args& words, const std::string& fragment) {
    try {
        parse_messages(words, false);
        ADD_FAILURE() << "accepted: " << ::testing::PrintToString(words);
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
}

TEST(CliTransferSyntax, Rejects) {
    expect_rejected({"x2@0x50"}, "x2@0x50");
    expect_rejected({"w2@0x50", "0x00"}, "needs 2 data bytes, got 1");
    expect_rejected({"r0"}, "at least 1");
    expect_rejected({"r0@0x50"}, "at least 1");
    expect_rejected({"r8"}, "no address");
    expect_rejected({"r8@0x80"}, "0x80 out of range");
    expect_rejected({"w1@0x50", "0x100"}, "invalid data byte '0x100'");
    expect_rejected({"w1@0x50", "-1"}, "invalid data byte '-1'");
    expect_rejected({"w2@0x50", "1x"}, "invalid data byte '1x'");
    expect_rejected({"w2@0x50", "0x00", "r8"}, "invalid data byte 'r8'");
    expect_rejected({"w?@0x50"}, "only for reads");
    expect_rejected({"r70000@0x50"}, "0-65535");
    expect_rejected({"r8@0x50x"}, "not a number");
    expect_rejected({}, "no message");
    Args many;
    for (int i = 0; i < 43; ++i) many.push_back("r1@0x50");
    expect_rejected(many, "too many messages");
}

TEST(CliTransferSyntax, SuffixEndsTheMessage) {
    // After a suffix fills the message, the next word is a new DESC.
    auto msgs = parse_messages({"w3@0x50", "0x10", "0x20=", "r1"}, false);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0].buf, (std::vector<uint8_t>{0x10, 0x20, 0x20}));
}

}  // namespace
}  // namespace usbio::cli
