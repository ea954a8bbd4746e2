// SPDX-License-Identifier: Apache-2.0
#include "transfer_parse.hpp"

#include <string_view>

#include "numbers.hpp"

namespace usbio::cli {

namespace {

// Reads "{r|w}LENGTH[@ADDRESS]"; `last_addr` < 0 when no message had one yet.
MessageSpec parse_desc(const std::string& word, int last_addr, bool all_addresses) {
    MessageSpec m;
    m.desc = word;
    const std::string bad = "invalid message '" + word + "': ";
    if (word.empty() || (word[0] != 'r' && word[0] != 'w')) throw UsageError(bad + "expected {r|w}LENGTH[@ADDRESS]");
    m.read = word[0] == 'r';

    std::size_t at = word.find('@');
    std::string length = word.substr(1, at == std::string::npos ? std::string::npos : at - 1);
    std::size_t n = 0;
    if (length == "?") {
        if (!m.read) throw UsageError(bad + "variable length ('?') is only for reads");
        m.recv_len = true;
        n = 33;  // count byte plus up to 32 data bytes
    } else {
        auto v = parse_long(length);
        if (!v || *v < 0 || *v > 0xffff) throw UsageError(bad + "length must be a number 0-65535");
        if (*v == 0 && m.read) throw UsageError(bad + "a read needs a length of at least 1");
        n = static_cast<std::size_t>(*v);
    }
    m.buf.assign(n, 0);

    if (at != std::string::npos) {
        try {
            m.addr = parse_chip_address(word.substr(at + 1), all_addresses);
        } catch (const UsageError& e) {
            throw UsageError(bad + e.what());
        }
    } else if (last_addr < 0) {
        throw UsageError(bad + "no address given (e.g. " + word + "@0x50)");
    } else {
        m.addr = static_cast<uint16_t>(last_addr);
    }
    return m;
}

// Fills m.buf from `pos` on with the data word; returns the new position.
std::size_t parse_data(MessageSpec& m, std::size_t pos, const std::string& word) {
    const std::string expect = " in message '" + m.desc + "' (" + std::to_string(m.buf.size()) +
                               " data bytes expected, " + std::to_string(pos) + " given)";
    // A number as every other one on the command line (parse_long), then
    // at most one suffix character; no sign.
    std::string_view number = word;
    char suffix = '\0';
    if (number.size() > 1 && std::string_view("=+-p").find(number.back()) != std::string_view::npos) {
        suffix = number.back();
        number.remove_suffix(1);
    }
    const bool has_sign = !number.empty() && (number[0] == '-' || number[0] == '+');
    const auto v = has_sign ? std::nullopt : parse_long(number);
    if (!v || *v < 0 || *v > 0xff) throw UsageError("invalid data byte '" + word + "'" + expect);

    auto data = static_cast<uint8_t>(*v);
    do {
        m.buf[pos++] = data;
        switch (suffix) {
        case '+': ++data; break;
        case '-': --data; break;
        case 'p':
            // i2ctransfer's generator, so the same seed gives the same bytes.
            data = static_cast<uint8_t>((data ^ 27) + 13);
            data = static_cast<uint8_t>((data << 1) | (data >> 7));
            break;
        default: break;
        }
    } while (suffix != '\0' && pos < m.buf.size());
    return pos;
}

}  // namespace

std::vector<MessageSpec> parse_messages(const Args& words, bool all_addresses) {
    std::vector<MessageSpec> msgs;
    int last_addr = -1;
    std::size_t i = 0;
    while (i < words.size()) {
        if (msgs.size() == kMaxMessages)
            throw UsageError("too many messages (at most " + std::to_string(kMaxMessages) + ")");
        MessageSpec m = parse_desc(words[i++], last_addr, all_addresses);
        last_addr = m.addr;
        if (!m.read) {
            std::size_t pos = 0;
            while (pos < m.buf.size()) {
                if (i == words.size())
                    throw UsageError("message '" + m.desc + "' needs " + std::to_string(m.buf.size()) +
                                     " data bytes, got " + std::to_string(pos));
                pos = parse_data(m, pos, words[i++]);
            }
        }
        msgs.push_back(std::move(m));
    }
    if (msgs.empty()) throw UsageError("no message given");
    return msgs;
}

}  // namespace usbio::cli
