// SPDX-License-Identifier: Apache-2.0
// Saved state of the I2C target models (24Cxx EEPROM, LM75 sensor, PCA9555
// and PCF8574 GPIO expanders).
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "models/eeprom_24cxx.hpp"
#include "models/lm75.hpp"
#include "models/pca953x.hpp"
#include "models/pcf857x.hpp"

namespace usbio::models {

namespace state = drivers::sim_state;

namespace {

constexpr std::size_t kRow = 16;

std::string byte_word(uint8_t b) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02x", b);
    return buf;
}

// The optional record `name addr`: null when the text has none.
const state::Record* optional_record(state::Reader& in, const char* name, const std::string& addr) {
    const auto records = in.all({name, addr});
    if (records.size() > 1) throw state::Bad(*records[1], "a second record for this chip");
    return records.empty() ? nullptr : records.front();
}

std::string pins_word(const char* key, uint16_t value, unsigned pins) {
    return std::string(key) + "=" + state::hex(value, pins / 4);
}

OutsidePins read_outside(const state::Record& r, unsigned pins) {
    const uint64_t all = (uint64_t{1} << pins) - 1;
    OutsidePins o;
    o.driven = uint16_t(r.number("driven", all));
    o.level = uint16_t(r.number("level", all) & o.driven);
    return o;
}

}  // namespace

void Eeprom24cxx::save_state(state::Writer& out, uint8_t addr7) const {
    std::lock_guard lock(mu_);
    const std::string addr = state::hex(addr7, 2);
    out.record({"eeprom", addr, "size=" + std::to_string(config_.size), "pointer=" + state::hex(pointer_, 4)});
    for (std::size_t at = 0; at < mem_.size(); at += kRow) {
        const auto row = mem_.begin() + std::ptrdiff_t(at);
        if (std::all_of(row, row + kRow, [](uint8_t b) { return b == 0xFF; })) continue;
        std::vector<std::string> words{"eeprom-row", addr, state::hex(at, 4)};
        for (std::size_t i = 0; i < kRow; ++i) words.push_back(byte_word(mem_[at + i]));
        out.record(words);
    }
}

Eeprom24cxx::Saved Eeprom24cxx::read_state(state::Reader& in, uint8_t addr7) const {
    const std::string addr = state::hex(addr7, 2);
    const state::Record& head = in.one({"eeprom", addr});
    if (head.number("size", SIZE_MAX) != config_.size)
        throw state::Bad(
            head, "size=" + head.field("size") + ", but this EEPROM holds " + std::to_string(config_.size) + " bytes");
    Saved saved;
    saved.pointer = head.number("pointer", config_.size - 1);
    saved.mem.assign(config_.size, 0xFF);
    std::vector<bool> seen(config_.size / kRow, false);
    for (const state::Record* r : in.all({"eeprom-row", addr})) {
        const uint64_t at = r->number_at(2, config_.size - 1);
        if (at % kRow != 0) throw state::Bad(*r, "row offset " + r->words[2] + " is not a multiple of 16");
        if (r->words.size() != 3 + kRow) throw state::Bad(*r, "a row holds 16 bytes");
        if (seen[at / kRow]) throw state::Bad(*r, "row " + r->words[2] + " given twice");
        seen[at / kRow] = true;
        for (std::size_t i = 0; i < kRow; ++i) {
            const std::string& w = r->words[3 + i];
            if (w.size() != 2 || !std::isxdigit(static_cast<unsigned char>(w[0])) ||
                !std::isxdigit(static_cast<unsigned char>(w[1])))
                throw state::Bad(*r, "'" + w + "' is not a byte in hex (00..ff)");
            saved.mem[at + i] = uint8_t(std::stoul(w, nullptr, 16));
        }
    }
    return saved;
}

void Eeprom24cxx::restore(Saved saved) {
    std::lock_guard lock(mu_);
    saved.mem.resize(config_.size, 0xFF);
    mem_ = std::move(saved.mem);
    pointer_ = saved.pointer & (config_.size - 1);
    drop_transaction_locked();
}

void Lm75::save_state(state::Writer& out, uint8_t addr7) const {
    std::lock_guard lock(mu_);
    out.record({"lm75", state::hex(addr7, 2), "temperature-mc=" + std::to_string(decode_millicelsius(temperature_)),
                "hysteresis-mc=" + std::to_string(decode_millicelsius(hysteresis_)),
                "overtemp-mc=" + std::to_string(decode_millicelsius(overtemp_)), "config=" + state::hex(config_, 2),
                "pointer=" + std::to_string(pointer_)});
}

Lm75::Saved Lm75::read_state(state::Reader& in, uint8_t addr7) {
    const state::Record& r = in.one({"lm75", state::hex(addr7, 2)});
    auto temperature = [&](const char* key) {
        const std::string text = r.field(key);
        std::size_t used = 0;
        long v = 0;
        try {
            v = std::stol(text, &used, 10);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != text.size() || used == 0 || v < -55000 || v > 125000)
            throw state::Bad(r, std::string(key) + "=" + text + ": expected millidegrees C, -55000..125000");
        return encode_millicelsius(int(v));
    };
    Saved s;
    s.temperature = temperature("temperature-mc");
    s.hysteresis = temperature("hysteresis-mc");
    s.overtemp = temperature("overtemp-mc");
    s.config = uint8_t(r.number("config", 0x1F));
    s.pointer = uint8_t(r.number("pointer", 3));
    return s;
}

void Lm75::restore(const Saved& s) {
    std::lock_guard lock(mu_);
    temperature_ = s.temperature;
    hysteresis_ = s.hysteresis;
    overtemp_ = s.overtemp;
    config_ = s.config;
    pointer_ = s.pointer;
    writing_ = false;
}

void Pca953x::save_state(state::Writer& out, uint8_t addr7) const {
    std::lock_guard lock(mu_);
    out.record({name(), state::hex(addr7, 2), pins_word("output", output_, kPins),
                pins_word("polarity", polarity_, kPins), pins_word("config", config_, kPins),
                "pointer=" + std::to_string(pointer_), pins_word("driven", outside_.driven, kPins),
                pins_word("level", outside_.level & outside_.driven, kPins)});
}

Pca953x::Saved Pca953x::read_state(state::Reader& in, uint8_t addr7) const {
    Saved s;
    const state::Record* r = optional_record(in, name(), state::hex(addr7, 2));
    if (!r) return s;
    s.output = uint16_t(r->number("output", 0xFFFF));
    s.polarity = uint16_t(r->number("polarity", 0xFFFF));
    s.config = uint16_t(r->number("config", 0xFFFF));
    s.pointer = uint8_t(r->number("pointer", 7));
    s.outside = read_outside(*r, kPins);
    return s;
}

void Pca953x::restore(const Saved& s) {
    std::lock_guard lock(mu_);
    output_ = s.output;
    polarity_ = s.polarity;
    config_ = s.config;
    pointer_ = s.pointer;
    outside_ = s.outside;
    last_read_ = pins_locked();
    writing_ = command_seen_ = addressed_ = false;
}

void Pcf857x::save_state(state::Writer& out, uint8_t addr7) const {
    std::lock_guard lock(mu_);
    out.record({name(), state::hex(addr7, 2), pins_word("latch", latch_, pins_),
                pins_word("driven", outside_.driven, pins_),
                pins_word("level", outside_.level & outside_.driven, pins_)});
}

Pcf857x::Saved Pcf857x::read_state(state::Reader& in, uint8_t addr7) const {
    Saved s;
    s.latch = all();
    const state::Record* r = optional_record(in, name(), state::hex(addr7, 2));
    if (!r) return s;
    s.latch = uint16_t(r->number("latch", all()));
    s.outside = read_outside(*r, pins_);
    return s;
}

void Pcf857x::restore(const Saved& s) {
    std::lock_guard lock(mu_);
    latch_ = s.latch;
    outside_ = s.outside;
    last_seen_ = pins_locked();
    writing_ = addressed_ = false;
    byte_index_ = 0;
}

}  // namespace usbio::models
