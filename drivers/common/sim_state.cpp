// SPDX-License-Identifier: Apache-2.0
#include "common/sim_state.hpp"
#include <cctype>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace usbio::drivers::sim_state {

namespace {

std::vector<std::string> split_words(std::string_view line) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
        std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
        if (i > start) words.emplace_back(line.substr(start, i - start));
    }
    return words;
}

bool parse_u64(std::string_view text, uint64_t& out) {
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text.remove_prefix(2);
    }
    if (text.empty() || text.size() > 16) return false;
    uint64_t v = 0;
    for (char c : text) {
        unsigned d;
        if (c >= '0' && c <= '9')
            d = unsigned(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = unsigned(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = unsigned(c - 'A' + 10);
        else
            return false;
        if (v > (UINT64_MAX - d) / unsigned(base)) return false;
        v = v * unsigned(base) + d;
    }
    out = v;
    return true;
}

bool starts_with(const Record& r, std::initializer_list<std::string_view> prefix) {
    if (r.words.size() < prefix.size()) return false;
    std::size_t i = 0;
    for (auto p : prefix)
        if (r.words[i++] != p) return false;
    return true;
}

std::string joined(std::initializer_list<std::string_view> words) {
    std::string out;
    for (auto w : words) out += (out.empty() ? "" : " ") + std::string(w);
    return out;
}

}  // namespace

std::string hex(uint64_t value, int digits) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(value));
    return buf;
}

Bad::Bad(unsigned line, const std::string& what) : std::runtime_error("line " + std::to_string(line) + ": " + what) {}

std::string Record::label() const {
    std::string out = words.empty() ? "" : words[0];
    // The name and its positional words (an address, a line number).
    for (std::size_t i = 1; i < words.size() && words[i].find('=') == std::string::npos && i < 3; ++i)
        out += " " + words[i];
    return out;
}

std::string Record::field(std::string_view key) const {
    for (std::size_t i = 1; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w.size() > key.size() && w.compare(0, key.size(), key) == 0 && w[key.size()] == '=')
            return w.substr(key.size() + 1);
    }
    throw Bad(*this, "no " + std::string(key) + "=VALUE");
}

std::string text_word(std::string_view text) {
    static const char* const digits = "0123456789abcdef";
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c > 0x20 && c < 0x7f && c != '%' && c != '=') {
            out += ch;
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 0xf];
        }
    }
    return out;
}

std::string Record::text(std::string_view key) const {
    const std::string word = field(key);
    std::string out;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (word[i] != '%') {
            out += word[i];
            continue;
        }
        unsigned v = 0;
        if (i + 2 >= word.size() || !std::isxdigit(static_cast<unsigned char>(word[i + 1])) ||
            !std::isxdigit(static_cast<unsigned char>(word[i + 2])))
            throw Bad(*this, std::string(key) + "=" + word + ": '%' needs two hex digits after it");
        v = unsigned(std::stoul(word.substr(i + 1, 2), nullptr, 16));
        out += char(v);
        i += 2;
    }
    return out;
}

uint64_t Record::number(std::string_view key, uint64_t max) const {
    const std::string text = field(key);
    uint64_t v = 0;
    if (!parse_u64(text, v)) throw Bad(*this, std::string(key) + "=" + text + " is not a number");
    if (v > max) throw Bad(*this, std::string(key) + "=" + text + " is above " + std::to_string(max));
    return v;
}

uint64_t Record::number_at(std::size_t index, uint64_t max) const {
    if (index >= words.size()) throw Bad(*this, "too few words");
    uint64_t v = 0;
    if (!parse_u64(words[index], v)) throw Bad(*this, "'" + words[index] + "' is not a number");
    if (v > max) throw Bad(*this, "'" + words[index] + "' is above " + std::to_string(max));
    return v;
}

std::size_t Record::choice(std::string_view key, std::initializer_list<std::string_view> choices) const {
    const std::string text = field(key);
    std::size_t i = 0;
    std::string names;
    for (auto c : choices) {
        if (text == c) return i;
        names += (i++ ? " or " : "") + std::string(c);
    }
    throw Bad(*this, std::string(key) + "=" + text + ": expected " + names);
}

void Writer::comment(std::string_view text) { text_ += "# " + std::string(text) + "\n"; }

void Writer::record(std::initializer_list<std::string_view> words) { text_ += joined(words) + "\n"; }

void Writer::record(const std::vector<std::string>& words) {
    std::string line;
    for (const auto& w : words) line += (line.empty() ? "" : " ") + w;
    text_ += line + "\n";
}

Reader::Reader(std::vector<Record> records, unsigned end_line)
    : records_(std::move(records)), taken_(records_.size(), false), end_line_(end_line) {}

std::vector<const Record*> Reader::matching(std::initializer_list<std::string_view> prefix) {
    std::vector<const Record*> out;
    for (std::size_t i = 0; i < records_.size(); ++i) {
        if (!starts_with(records_[i], prefix)) continue;
        taken_[i] = true;
        out.push_back(&records_[i]);
    }
    return out;
}

const Record& Reader::one(std::initializer_list<std::string_view> prefix) {
    auto found = matching(prefix);
    if (found.empty()) throw Bad(end_line_, "the state ends without a '" + joined(prefix) + "' record");
    if (found.size() > 1)
        throw Bad(*found[1], "a second '" + joined(prefix) + "' record (the first is on line " +
                                 std::to_string(found[0]->line) + ")");
    return *found[0];
}

std::vector<const Record*> Reader::all(std::initializer_list<std::string_view> prefix) { return matching(prefix); }

void Reader::finish() const {
    for (std::size_t i = 0; i < records_.size(); ++i)
        if (!taken_[i]) throw Bad(records_[i], "not a record of this chip's state");
}

std::string frame(std::string_view chip, const Writer& body) {
    return std::string(kMagic) + " " + std::to_string(kVersion) + "\nchip " + std::string(chip) + "\n" + body.text() +
           "end\n";
}

Result<Reader> unframe(std::string_view text, std::string_view chip) {
    try {
        std::vector<Record> records;
        unsigned number = 0;
        unsigned last = 0;  // the last line with words
        enum { magic, chip_line, body, ended } at = magic;
        std::size_t pos = 0;
        while (pos < text.size()) {
            std::size_t nl = text.find('\n', pos);
            std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
            pos = nl == std::string_view::npos ? text.size() : nl + 1;
            ++number;
            auto words = split_words(line);
            if (words.empty() || words[0][0] == '#') continue;
            last = number;
            switch (at) {
            case magic: {
                uint64_t version = 0;
                if (words[0] != kMagic || words.size() != 2 || !parse_u64(words[1], version))
                    throw Bad(number, "not a usbio simulated-state text (expected '" + std::string(kMagic) + " " +
                                          std::to_string(kVersion) + "')");
                if (version != kVersion)
                    throw Bad(number, "state format version " + words[1] + "; this usbio reads version " +
                                          std::to_string(kVersion));
                at = chip_line;
                break;
            }
            case chip_line:
                if (words[0] != "chip" || words.size() != 2) throw Bad(number, "expected 'chip NAME'");
                if (words[1] != chip)
                    throw Bad(number, "the state of a " + words[1] + ", not of a " + std::string(chip));
                at = body;
                break;
            case body:
                if (words[0] == "end" && words.size() == 1) {
                    at = ended;
                    break;
                }
                records.push_back(Record{number, std::move(words)});
                break;
            case ended: throw Bad(number, "text after 'end'");
            }
        }
        if (at == magic) throw Bad(1, "empty: no '" + std::string(kMagic) + "' line");
        if (at != ended)
            throw Bad(last == 0 ? 1 : last, "the state is incomplete (no 'end' line; the text is truncated?)");
        return Reader(std::move(records), last);
    } catch (const Bad& e) {
        return make_error(EINVAL, e.what());
    }
}

}  // namespace usbio::drivers::sim_state
