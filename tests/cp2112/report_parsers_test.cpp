// SPDX-License-Identifier: Apache-2.0
// Every report parser against malformed input, one case each: the wrong
// report ID, a report cut short, and a length or count field that claims
// more than the report or the chip can hold. A parser answers EPROTO and
// leaves its output alone.
#include <gtest/gtest.h>

#include <cerrno>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "cp2112/reports.hpp"

namespace usbio::test {
namespace {

using namespace usbio::cp2112;
using Bytes = std::vector<uint8_t>;

const std::error_code kProto(EPROTO, std::generic_category());

// A Data Read Response of `size` bytes, status complete, claiming `count`.
Bytes data_report(uint8_t count, std::size_t size = 64) {
    Bytes r(size, 0);
    r[0] = report::read_response;
    r[1] = 0x02;
    r[2] = count;
    return r;
}

struct ParserCase {
    const char* name;
    Bytes good;  // a well-formed report
    // Runs the parser; true when its output still holds the sentinel it
    // was given (nothing was written).
    std::function<std::error_code(std::span<const uint8_t>, bool& untouched)> parse;
};

template <class Out, class Fn>
std::function<std::error_code(std::span<const uint8_t>, bool&)> parser(Out sentinel, Fn fn) {
    return [sentinel, fn](std::span<const uint8_t> r, bool& untouched) {
        Out out = sentinel;
        const std::error_code ec = fn(r, out);
        untouched = out == sentinel;
        return ec;
    };
}

VersionInfo version_sentinel() { return {0xEE, 0xEE}; }
SmbusConfig smbus_sentinel() {
    SmbusConfig c;
    c.clock_hz = 0xEEEE;
    return c;
}
TransferStatus status_sentinel() {
    TransferStatus s;
    s.detail = 0xEE;
    return s;
}

std::vector<ParserCase> cases() {
    std::vector<ParserCase> v;
    v.push_back({"version", {report::version, 0x0C, 0x02}, parser(version_sentinel(), [](auto r, VersionInfo& o) {
                     return parse_version(r, o);
                 })});
    v.push_back({"smbus_config", build_smbus_config(SmbusConfig{}),
                 parser(smbus_sentinel(), [](auto r, SmbusConfig& o) { return parse_smbus_config(r, o); })});
    v.push_back(
        {"gpio_config",
         {report::gpio_config, 0x01, 0x02, 0x03, 0x04},
         parser(GpioConfig{0xEE, 0xEE, 0xEE, 0xEE}, [](auto r, GpioConfig& o) { return parse_gpio_config(r, o); })});
    v.push_back({"gpio_values", {report::gpio_get, 0x5A}, parser(uint8_t{0xEE}, [](auto r, uint8_t& o) {
                     return parse_gpio_values(r, o);
                 })});
    v.push_back({"transfer_status",
                 {report::status_response, 0x02, 0x05, 0x00, 0x00, 0x00, 0x02},
                 parser(status_sentinel(), [](auto r, TransferStatus& o) { return parse_transfer_status(r, o); })});
    v.push_back({"read_response", data_report(2), [](std::span<const uint8_t> r, bool& untouched) {
                     ReadResponse rr;
                     const std::error_code ec = parse_read_response(r, kMaxReadChunk, rr);
                     untouched = rr.data.empty();
                     return ec;
                 }});
    return v;
}

class ReportParser : public ::testing::TestWithParam<ParserCase> {};

TEST_P(ReportParser, AcceptsAWellFormedReport) {
    bool untouched = true;
    EXPECT_FALSE(GetParam().parse(GetParam().good, untouched));
    EXPECT_FALSE(untouched);
}

TEST_P(ReportParser, RefusesTheWrongReportId) {
    for (uint8_t id : {uint8_t(0x00), uint8_t(0x3F), uint8_t(GetParam().good[0] + 1)}) {
        Bytes r = GetParam().good;
        r[0] = id;
        bool untouched = false;
        EXPECT_EQ(GetParam().parse(r, untouched), kProto) << "ID " << int(id);
        EXPECT_TRUE(untouched);
    }
}

TEST_P(ReportParser, RefusesAShortReport) {
    // Every length short of the layout, down to nothing at all.
    const Bytes& good = GetParam().good;
    const std::size_t needed = good[0] == report::read_response ? report::read_response_header + good[2] : good.size();
    for (std::size_t n = 0; n < needed; ++n) {
        bool untouched = false;
        EXPECT_EQ(GetParam().parse(std::span(good).first(n), untouched), kProto) << n << " bytes";
        EXPECT_TRUE(untouched);
    }
}

INSTANTIATE_TEST_SUITE_P(All, ReportParser, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return std::string(info.param.name); });

// Length and count fields that claim more than the chip holds.
TEST(ReportParserLengths, ReadResponseCountAboveOneReportIsRefused) {
    Bytes r = data_report(0);
    for (unsigned count : {62u, 63u, 0xFFu}) {
        r[2] = static_cast<uint8_t>(count);
        ReadResponse rr;
        EXPECT_EQ(parse_read_response(r, kMaxRead, rr), kProto) << count;
        EXPECT_TRUE(rr.data.empty());
    }
}

TEST(ReportParserLengths, ReadResponseCountAboveWhatWasAskedIsRefused) {
    const Bytes r = data_report(5);
    ReadResponse rr;
    EXPECT_EQ(parse_read_response(r, 4, rr), kProto);
    EXPECT_FALSE(parse_read_response(r, 5, rr));
}

TEST(ReportParserLengths, ReadResponseCountBeyondTheReportIsRefused) {
    Bytes r = data_report(8, 10);  // room for 7 data bytes
    ReadResponse rr;
    EXPECT_EQ(parse_read_response(r, kMaxReadChunk, rr), kProto);
    r[2] = 7;
    EXPECT_FALSE(parse_read_response(r, kMaxReadChunk, rr));
    EXPECT_EQ(rr.data.size(), 7u);
}

TEST(ReportParserLengths, ReadResponseWithoutDataIsRefused) {
    const Bytes r = data_report(0);
    ReadResponse rr;
    EXPECT_EQ(parse_read_response(r, kMaxReadChunk, rr), kProto);
}

TEST(ReportParserLengths, TransferStatusReceivingMoreThanTheChipBuffersIsRefused) {
    Bytes r{report::status_response, 0x02, 0x05, 0x00, 0x00, 0x02, 0x01};  // 513 bytes
    TransferStatus st;
    EXPECT_EQ(parse_transfer_status(r, st), kProto);
    r[5] = 0xFF;
    r[6] = 0xFF;
    EXPECT_EQ(parse_transfer_status(r, st), kProto);
    r[5] = 0x02;
    r[6] = 0x00;
    EXPECT_FALSE(parse_transfer_status(r, st));
    EXPECT_EQ(st.received, 512);
}

TEST(ReportParserLengths, UnknownTransferStatesAreRefused) {
    for (uint8_t s : {uint8_t(0x04), uint8_t(0x07), uint8_t(0xFF)}) {
        TransferStatus st;
        const Bytes status{report::status_response, s, 0, 0, 0, 0, 0};
        EXPECT_EQ(parse_transfer_status(status, st), kProto) << int(s);
        Bytes data = data_report(1);
        data[1] = s;
        ReadResponse rr;
        EXPECT_EQ(parse_read_response(data, kMaxReadChunk, rr), kProto) << int(s);
    }
}

// Trailing bytes (input reports come padded to 64) are not an error.
TEST(ReportParserLengths, PaddingAfterTheLayoutIsIgnored) {
    Bytes v{report::version, 0x0C, 0x02};
    v.resize(64, 0xEE);
    VersionInfo info;
    ASSERT_FALSE(parse_version(v, info));
    EXPECT_EQ(info.part_number, 0x0C);
    Bytes s{report::status_response, 0x01, 0x02, 0x00, 0x03, 0x00, 0x00};
    s.resize(64, 0xEE);
    TransferStatus st;
    ASSERT_FALSE(parse_transfer_status(s, st));
    EXPECT_EQ(st.retries, 3);
}

}  // namespace
}  // namespace usbio::test
