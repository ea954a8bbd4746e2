// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <algorithm>

#include "app.hpp"
#include "edge_format.hpp"
#include "error_json.hpp"
#include "i2c_funcs.hpp"
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

// strtol would skip any of these; no number on the command line may start
// with one, whatever kind of number it is.
const char* const kLeadingBlanks[] = {" ", "\t", "\n", "\v", "\f", "\r", "  "};

template <class F>
void expect_usage_error(F&& parse, const std::string& text, const std::string& fragment) {
    try {
        parse();
        ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
}

TEST(CliNumbers, RefuseLeadingBlanksInEveryKind) {
    for (const char* blank : kLeadingBlanks) {
        for (const char* number : {"0x48", "72", "010", "+1"}) {
            const std::string text = std::string(blank) + number;
            EXPECT_FALSE(parse_long(text)) << "'" << text << "'";
            expect_usage_error([&] { parse_in_range(text, 0, 0xff, "data address"); }, text, "not a number");
            expect_usage_error([&] { parse_chip_address(text, true); }, text, "not a number");
        }
        const std::string count = std::string(blank) + "5";
        expect_usage_error([&] { parse_in_range(count, 1, 32, "length", false); }, count, "not a number");
        expect_usage_error([&] { parse_decimal(count, 0, 10, "count"); }, count, "not a decimal number");
        expect_usage_error([&] { parse_seconds(count, "timeout"); }, count, "not a number of seconds");
    }
    // The same numbers without the blank are fine.
    EXPECT_EQ(parse_long("+1"), 1);
    EXPECT_EQ(parse_in_range("5", 1, 32, "length", false), 5);
    EXPECT_EQ(parse_decimal("5", 0, 10, "count"), 5);
    EXPECT_EQ(parse_seconds("5", "timeout"), std::chrono::seconds(5));
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

TEST(CliJson, ErrnoNames) {
    EXPECT_EQ(errno_name(ENODEV), "ENODEV");
    EXPECT_EQ(errno_name(ENXIO), "ENXIO");
    EXPECT_EQ(errno_name(ETIMEDOUT), "ETIMEDOUT");
    EXPECT_EQ(errno_name(99999), "E99999");
}

TEST(CliJson, ErrorObjectCarriesOnlyWhatIsKnown) {
    const std::error_code enodev(ENODEV, std::generic_category());
    auto bare = test::parse_json(error_json(enodev, "gone \"x\"", Where{}));
    const auto& e = bare.at("error");
    EXPECT_EQ(e.at("code").string, "ENODEV");
    EXPECT_EQ(e.at("errno").number, ENODEV);
    EXPECT_EQ(e.at("message").string, "gone \"x\"");
    EXPECT_EQ(e.object.size(), 3u);

    auto full = test::parse_json(error_json(enodev, "m", Where{"usb-1-2", 0x50, 3, 0x600, 0x500})).at("error");
    EXPECT_EQ(full.at("adapter").string, "usb-1-2");
    EXPECT_EQ(full.at("address").number, 0x50);
    EXPECT_EQ(full.at("line").number, 3);
    EXPECT_EQ(full.at("offset").number, 0x600);  // an EEPROM transfer that stopped there
    EXPECT_EQ(full.at("done").number, 0x500);
}

TEST(CliJson, EscapesStrings) {
    EXPECT_EQ(json_text("plain"), "\"plain\"");
    EXPECT_EQ(json_text("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(json_text("l1\nl2\t\r"), "\"l1\\nl2\\t\\r\"");
    EXPECT_EQ(json_text(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
    // DEL needs no escape in JSON (RFC 8259 escapes only U+0000-U+001F).
    EXPECT_EQ(json_text(std::string("\x7f", 1)), "\"\x7f\"");
    EXPECT_EQ(json_text("\xc3\xa9"), "\"\xc3\xa9\"");  // UTF-8 passes through
}

// A serial number is whatever bytes the device sent: bytes that are not
// UTF-8 must not make the output invalid JSON.
TEST(CliJson, BytesThatAreNotUtf8BecomeReplacementCharacters) {
    const std::string text = json_text({{"serial", std::string("A\xff\xc3", 3)}});
    EXPECT_EQ(text, "{\"serial\":\"A\xef\xbf\xbd\xef\xbf\xbd\"}");
    EXPECT_EQ(test::parse_json(text).at("serial").string, "A\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(CliJson, ObjectsKeepTheirKeyOrderAndParseBack) {
    std::string nasty = "q\"uo\\te\n\x02";
    const std::string text = json_text({{"s", nasty},
                                        {"n", -42},
                                        {"b", true},
                                        {"a", std::vector<uint8_t>{1, 2, 255}},
                                        {"e", Json::array()},
                                        {"z", nullptr}});
    EXPECT_EQ(text.rfind("{\"s\":", 0), 0u) << text;
    EXPECT_NE(text.find(",\"n\":-42,\"b\":true,\"a\":[1,2,255],\"e\":[],\"z\":null}"), std::string::npos) << text;
    auto v = test::parse_json(text);
    EXPECT_EQ(v.at("s").string, nasty);
    EXPECT_EQ(v.at("n").number, -42);
    EXPECT_TRUE(v.at("b").boolean);
    ASSERT_EQ(v.at("a").array.size(), 3u);
    EXPECT_EQ(v.at("a").array[2].number, 255);
    EXPECT_TRUE(v.at("e").array.empty());
    EXPECT_EQ(v.at("z").kind, test::JsonValue::Kind::null);
}

TEST(CliNumbers, DecimalCounts) {
    EXPECT_EQ(parse_decimal("0", 0, 10, "n"), 0);
    EXPECT_EQ(parse_decimal("010", 0, 100, "n"), 10);  // decimal, never octal
    EXPECT_EQ(parse_decimal("1000000000", 1, 1'000'000'000, "n"), 1'000'000'000);
    for (const char* bad : {"", "-1", "+1", "0x10", "1.5", "1 ", "x"}) {
        try {
            parse_decimal(bad, 0, 100, "count");
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const UsageError& e) {
            EXPECT_NE(std::string(e.what()).find("count"), std::string::npos) << e.what();
        }
    }
    EXPECT_THROW(parse_decimal("101", 0, 100, "n"), UsageError);
    EXPECT_THROW(parse_decimal("0", 1, 100, "n"), UsageError);
    EXPECT_THROW(parse_decimal("99999999999999999999999999", 0, 100, "n"), UsageError);
}

TEST(CliNumbers, Seconds) {
    using std::chrono::milliseconds;
    EXPECT_EQ(parse_seconds("2", "t"), milliseconds(2000));
    EXPECT_EQ(parse_seconds("0.25", "t"), milliseconds(250));
    EXPECT_EQ(parse_seconds(".5", "t"), milliseconds(500));
    EXPECT_EQ(parse_seconds("1.", "t"), milliseconds(1000));
    EXPECT_EQ(parse_seconds("0", "t"), milliseconds(0));
    EXPECT_EQ(parse_seconds("0.0015", "t"), milliseconds(2));  // nearest millisecond
    EXPECT_EQ(parse_seconds("1000000", "t"), milliseconds(1'000'000'000));
    for (const char* bad : {"", ".", "-1", "1e3", "1.2.3", "abc", "1s", "1000000.1", "99999999999999999999"})
        EXPECT_THROW(parse_seconds(bad, "timeout"), UsageError) << bad;
}

TEST(CliEdgeFormat, GpiomonDefaultLine) {
    EdgeEvent rise{EdgeEvent::Type::rising, 0, 2116'578586756ull, 1};
    EXPECT_EQ(edge_line(rise), "event:  RISING EDGE offset: 0 timestamp: [    2116.578586756]");
    EdgeEvent fall{EdgeEvent::Type::falling, 7, 5'000000042ull, 2};
    EXPECT_EQ(edge_line(fall), "event: FALLING EDGE offset: 7 timestamp: [       5.000000042]");
}

TEST(CliEdgeFormat, GpiomonFormatSpecifiers) {
    EdgeEvent rise{EdgeEvent::Type::rising, 3, 12'000000042ull, 1};
    EdgeEvent fall{EdgeEvent::Type::falling, 5, 7'500000000ull, 2};
    EXPECT_EQ(edge_custom_line("%o %e %s %n", rise), "3 1 12 42");  // %n unpadded, as gpiomon
    EXPECT_EQ(edge_custom_line("%o %e %s %n", fall), "5 0 7 500000000");
    EXPECT_EQ(edge_custom_line("100%% %x %", rise), "100% %x %");
    EXPECT_EQ(edge_custom_line("", rise), "");
    EXPECT_EQ(edge_custom_line("line%o", fall), "line5");
}

TEST(CliEdgeFormat, Json) {
    EdgeEvent fall{EdgeEvent::Type::falling, 5, 7'500000000ull, 9};
    test::JsonValue v = test::parse_json(edge_json(fall));
    EXPECT_EQ(v.at("event").string, "falling");
    EXPECT_EQ(v.at("offset").number, 5);
    EXPECT_EQ(v.at("timestamp_ns").number, 7.5e9);
    EXPECT_EQ(v.at("seqno").number, 9);
}

TEST(CliText, Hex16AndDash) {
    EXPECT_EQ(hex16(0x10c4), "10c4");
    EXPECT_EQ(hex16(0x000a), "000a");
    EXPECT_EQ(or_dash(""), "-");
    EXPECT_EQ(or_dash("x"), "x");
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

TEST(CliTransferSyntax, RefusesLeadingBlanksInEveryNumber) {
    for (const char* blank : kLeadingBlanks) {
        const std::string b = blank;
        for (const char* byte : {"0x10", "16", "0x10=", "0x10+", "0x10-", "0x10p"})
            expect_rejected({"w2@0x50", "0", b + byte}, "invalid data byte '" + b + byte + "'");
        expect_rejected({"w" + b + "1@0x50", "0"}, "length must be a number");
        expect_rejected({"w1@" + b + "0x50", "0"}, "chip address '" + b + "0x50' is not a number");
        expect_rejected({"r" + b + "1@0x50"}, "length must be a number");
    }
    // A blank after the number was always refused.
    expect_rejected({"w1@0x50", "0x10 "}, "invalid data byte '0x10 '");
    expect_rejected({"w2@0x50", "0x10+ "}, "invalid data byte '0x10+ '");
}

TEST(CliTransferSyntax, SignsAndSuffixesOnTheirOwn) {
    for (const char* bad : {"+1", "-1", "+", "-", "=", "p", "0x", "0x=", "1+-", "1pp", "+1="})
        expect_rejected({"w2@0x50", bad}, std::string("invalid data byte '") + bad + "'");
    EXPECT_EQ(parse_messages({"w2@0x50", "010="}, false)[0].buf, (std::vector<uint8_t>{8, 8}));  // octal
}

TEST(CliTransferSyntax, SuffixEndsTheMessage) {
    // After a suffix fills the message, the next word is a new DESC.
    auto msgs = parse_messages({"w3@0x50", "0x10", "0x20=", "r1"}, false);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_EQ(msgs[0].buf, (std::vector<uint8_t>{0x10, 0x20, 0x20}));
}

// Each named function is supported or not, as `want` says.
void expect_functions(const I2cBusInfo& info, std::initializer_list<std::pair<std::string_view, bool>> want) {
    const auto all = i2c_functionality(info);
    for (const auto& w : want) {
        auto f = std::find_if(all.begin(), all.end(), [&](const I2cFunction& x) { return x.name == w.first; });
        ASSERT_NE(f, all.end()) << w.first;
        EXPECT_EQ(f->supported, w.second) << w.first;
    }
}

// Each SMBus transaction needs the limits one transfer of it takes.
TEST(CliI2cFunctionality, FollowsTheAdaptersLimits) {
    I2cBusInfo big;
    big.max_write = big.max_read = big.max_write_before_read = 512;
    big.repeated_start = true;
    big.quick_write = true;
    for (const auto& f : i2c_functionality(big)) EXPECT_EQ(f.supported, f.name != "SMBus PEC") << f.name;

    // No repeated START: nothing that reads after a write.
    I2cBusInfo v1 = big;
    v1.repeated_start = false;
    v1.quick_write = false;
    expect_functions(v1, {{"SMBus Quick Command", false},
                          {"SMBus Read Byte", false},
                          {"SMBus Read Word", false},
                          {"SMBus Block Read", false},
                          {"I2C Block Read", false},
                          {"SMBus Receive Byte", true},
                          {"SMBus Block Write", true}});

    // Short messages: a 33-byte write is an I2C block, 34 an SMBus block.
    I2cBusInfo small = big;
    small.max_write = 33;
    small.max_read = 32;
    small.max_write_before_read = 3;
    expect_functions(small, {{"I2C Block Write", true},
                             {"SMBus Block Write", false},
                             {"I2C Block Read", true},
                             {"SMBus Block Read", false},
                             {"SMBus Process Call", true},
                             {"SMBus Block Process Call", false}});
}

TEST(CliI2cFunctionality, TextAsI2cdetectPrintsIt) {
    const std::string text = functionality_text("bus", {{"I2C", true}, {"SMBus PEC", false}});
    EXPECT_EQ(text,
              "Functionalities implemented by bus:\n"
              "I2C                              yes\n"
              "SMBus PEC                        no\n");
}

}  // namespace
}  // namespace usbio::cli
