// SPDX-License-Identifier: Apache-2.0
// The saved state of a simulated adapter as text (sim::Adapter::save_state,
// usbio --sim-state FILE): human-readable, one record a line.
//
//   usbio-sim-state 1          the version of this format
//   chip cp2112                the chip whose state follows
//   NAME WORD... KEY=VALUE...  records; each chip model says which it writes
//   end                        the state is complete (a truncated text lacks it)
//
// Blank lines and lines starting with '#' are ignored. Numbers are decimal or
// 0x-prefixed hex. Loading checks the whole text before anything changes, and
// every complaint names the line.
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "usbio/error.hpp"

namespace usbio::drivers::sim_state {

inline constexpr unsigned kVersion = 1;
inline constexpr std::string_view kMagic = "usbio-sim-state";

// "0x50", "0x0010": the spelling records use for addresses and offsets.
std::string hex(uint64_t value, int digits);

// A string as one word of a record: bytes other than printable ASCII, and
// the space, '%' and '=', as %XX ("Silicon%20Labs"); Record::text reads it.
std::string text_word(std::string_view text);

struct Record {
    unsigned line = 0;               // in the text, from 1
    std::vector<std::string> words;  // words[0] is the record's name

    // The record as written ("gpio 3").
    std::string label() const;
    // The value of the KEY=VALUE word; Bad when it is missing.
    std::string field(std::string_view key) const;
    // A number, from a field or a positional word (1 is the first after
    // the name); Bad when it is not one or above `max`.
    uint64_t number(std::string_view key, uint64_t max) const;
    uint64_t number_at(std::size_t index, uint64_t max) const;
    // One of `choices` (a field's value); returns its index.
    std::size_t choice(std::string_view key, std::initializer_list<std::string_view> choices) const;
    // A string written with text_word; Bad on a broken %XX.
    std::string text(std::string_view key) const;
};

// What does not fit; what() starts with "line N: ".
class Bad : public std::runtime_error {
public:
    Bad(unsigned line, const std::string& what);
    Bad(const Record& r, const std::string& what) : Bad(r.line, r.label() + ": " + what) {}
};

// Records a model writes, in order.
class Writer {
public:
    void comment(std::string_view text);
    // A record: its words separated by single spaces.
    void record(std::initializer_list<std::string_view> words);
    void record(const std::vector<std::string>& words);
    const std::string& text() const { return text_; }

private:
    std::string text_;
};

// The records of a state text, taken one by one by the model that loads it;
// records nobody took are an error.
class Reader {
public:
    Reader(std::vector<Record> records, unsigned end_line);

    // The one record whose first words are `prefix` ("gpio", "3"); Bad when
    // there is none or more than one.
    const Record& one(std::initializer_list<std::string_view> prefix);
    // Every record whose first words are `prefix`, in text order.
    std::vector<const Record*> all(std::initializer_list<std::string_view> prefix);
    // Bad naming the first record nobody took.
    void finish() const;

private:
    std::vector<const Record*> matching(std::initializer_list<std::string_view> prefix);

    std::vector<Record> records_;
    std::vector<bool> taken_;
    unsigned end_line_;
};

// Runs a model's load(), which throws Bad for what does not fit: EINVAL
// with Bad's message (naming the line).
template <class Load>
Result<void> load_checked(Load&& load) {
    try {
        load();
        return {};
    } catch (const Bad& e) {
        return make_error(EINVAL, e.what());
    }
}

// The whole text: version and chip lines, the records, the end line.
std::string frame(std::string_view chip, const Writer& body);
// Checks the version, chip and end lines of `text` and returns its records.
// Fails with EINVAL, the message naming the line.
Result<Reader> unframe(std::string_view text, std::string_view chip);

}  // namespace usbio::drivers::sim_state
