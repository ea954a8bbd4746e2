// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the command line's number and i2ctransfer message parsers
// (cli/numbers.hpp, cli/transfer_parse.hpp). The first byte picks the parser
// and its flags; the rest is the argument, or the argument words separated
// by NUL bytes as they would arrive in argv. A UsageError is a valid answer;
// anything else thrown, or an accepted value outside what was asked for,
// fails the run.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "numbers.hpp"
#include "transfer_parse.hpp"

namespace {

using namespace usbio::cli;

[[noreturn]] void fail(const std::string& what, std::string_view text) {
    std::fprintf(stderr, "parser check failed: %s (input '%.*s')\n", what.c_str(), static_cast<int>(text.size()),
                 text.data());
    std::abort();
}

Args split_words(std::string_view text) {
    Args words;
    std::size_t start = 0;
    for (;;) {
        const std::size_t nul = text.find('\0', start);
        words.emplace_back(text.substr(start, nul == std::string_view::npos ? std::string_view::npos : nul - start));
        if (nul == std::string_view::npos) return words;
        start = nul + 1;
    }
}

void check_messages(const Args& words, bool all, std::string_view text) {
    const auto msgs = parse_messages(words, all);
    if (msgs.empty() || msgs.size() > kMaxMessages) fail("message count", text);
    const uint16_t max_addr = all ? 0x7f : 0x77;
    const uint16_t min_addr = all ? 0x00 : 0x08;
    for (const auto& m : msgs) {
        if (m.addr < min_addr || m.addr > max_addr) fail("message address out of range", text);
        if (m.recv_len && (!m.read || m.buf.size() != 33)) fail("block read buffer", text);
        if (!m.recv_len && m.buf.size() > 0xffff) fail("message length", text);
        if (m.read && m.buf.empty()) fail("empty read", text);
    }
}

void run(uint8_t mode, std::string_view text) {
    const bool flag = (mode & 0x80) != 0;
    switch (mode % 6) {
    case 0: {
        const auto v = parse_long(text);
        if (v && text.empty()) fail("empty text parsed as a number", text);
        break;
    }
    case 1: {
        // Bounds from the mode byte: small ranges, byte ranges and word ranges.
        const long max = (mode & 0x40) ? 0xffff : (mode & 0x20) ? 0xff : 0x7f;
        const long min = (mode & 0x10) ? 1 : 0;
        const long v = parse_in_range(text, min, max, "value", flag);
        if (v < min || v > max) fail("parse_in_range out of range", text);
        break;
    }
    case 2: {
        const long max = (mode & 0x40) ? 1'000'000 : 255;
        const long v = parse_decimal(text, 1, max, "count");
        if (v < 1 || v > max) fail("parse_decimal out of range", text);
        break;
    }
    case 3: {
        const uint16_t a = parse_chip_address(text, flag);
        if (a > (flag ? 0x7f : 0x77) || a < (flag ? 0x00 : 0x08)) fail("chip address out of range", text);
        break;
    }
    case 4: {
        const auto ms = parse_seconds(text, "interval");
        if (ms.count() < 0 || ms.count() > 1'000'000'000LL) fail("seconds out of range", text);
        break;
    }
    default: check_messages(split_words(text), flag, text); break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        run(data[0], text);
    } catch (const UsageError&) {
        // A refused argument: the answer the parsers give to bad input.
    }
    return 0;
}
