// SPDX-License-Identifier: Apache-2.0
// usbio i2c dump: i2cdump's register table.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <ostream>
#include <span>
#include <string>

#include "adapter.hpp"
#include "commands.hpp"
#include "i2c_common.hpp"
#include "i2c_funcs.hpp"
#include "numbers.hpp"
#include "output.hpp"

namespace usbio::cli {

namespace {

using Cell = std::optional<uint16_t>;  // nullopt: the read failed

// A failed read shows as XX, but a vanished adapter ends the dump.
template <class T>
Cell cell_of(Result<T> r) {
    if (r.ok()) return static_cast<uint16_t>(r.value());
    if (r.code() == std::errc::no_such_device) throw Failure(message_of(r.error()));
    return std::nullopt;
}

std::pair<unsigned, unsigned> parse_range(const std::string& text) {
    auto dash = text.find('-');
    if (dash == std::string::npos) throw UsageError("invalid range '" + text + "': expected FIRST-LAST");
    auto first = static_cast<unsigned>(parse_in_range(text.substr(0, dash), 0, 0xff, "first register"));
    auto last = static_cast<unsigned>(parse_in_range(text.substr(dash + 1), 0, 0xff, "last register"));
    if (last < first) throw UsageError("invalid range '" + text + "': LAST is lower than FIRST");
    return {first, last};
}

std::vector<Cell> read_cells(I2cBus& bus, uint16_t addr, char mode, unsigned first, unsigned last) {
    std::vector<Cell> cells(256);
    if (mode == 'c') {
        // Consecutive reads from an auto-incrementing device: set the pointer once.
        check(bus.write_byte(addr, static_cast<uint8_t>(first)));
        for (unsigned r = first; r <= last; ++r) cells[r] = cell_of(bus.read_byte(addr));
    } else if (mode == 'i') {
        for (unsigned start = first; start <= last; start += 32) {
            unsigned n = std::min(32u, last - start + 1);
            std::vector<uint8_t> buf(n);
            auto r = bus.read_i2c_block_data(addr, static_cast<uint8_t>(start), buf);
            if (!r.ok() && r.code() == std::errc::no_such_device) throw Failure(message_of(r.error()));
            for (unsigned k = 0; k < n; ++k) cells[start + k] = r.ok() ? Cell(buf[k]) : std::nullopt;
        }
    } else if (mode == 'w') {
        for (unsigned r = first; r <= last; ++r) cells[r] = cell_of(bus.read_word_data(addr, static_cast<uint8_t>(r)));
    } else if (mode == 'W') {
        // A word read on each even register gives that register (low byte)
        // and the next one (high byte); a failed read spoils both.
        for (unsigned r = first; r + 1 <= last; r += 2) {
            Cell word = cell_of(bus.read_word_data(addr, static_cast<uint8_t>(r)));
            cells[r] = word ? Cell(*word & 0xff) : std::nullopt;
            cells[r + 1] = word ? Cell(*word >> 8) : std::nullopt;
        }
    } else {
        for (unsigned r = first; r <= last; ++r) cells[r] = cell_of(bus.read_byte_data(addr, static_cast<uint8_t>(r)));
    }
    return cells;
}

char ascii_of(uint16_t v) {
    if (v == 0x00 || v == 0xff) return '.';
    if (v < 32 || v >= 127) return '?';
    return static_cast<char>(v);
}

// `block`: an SMBus block, whose rows end with its last byte (i2cdump
// leaves the rest of the last row's text column out).
std::string byte_table(const std::vector<Cell>& cells, unsigned first, unsigned last, bool block = false) {
    std::string out = "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f    0123456789abcdef\n";
    char buf[8];
    for (unsigned row = first / 16 * 16; row <= last; row += 16) {
        std::snprintf(buf, sizeof buf, "%02x: ", row);
        out += buf;
        for (unsigned r = row; r < row + 16; ++r) {
            if (r < first || r > last) {
                out += "   ";
            } else if (!cells[r]) {
                out += "XX ";
            } else {
                std::snprintf(buf, sizeof buf, "%02x ", *cells[r]);
                out += buf;
            }
        }
        out += "   ";
        for (unsigned r = row; r < row + 16; ++r) {
            if (block && r > last) break;
            if (r < first || r > last)
                out += ' ';
            else
                out += cells[r] ? ascii_of(*cells[r]) : 'X';
        }
        out += '\n';
    }
    return out;
}

std::string word_table(const std::vector<Cell>& cells, unsigned first, unsigned last) {
    std::string out = "     0,8  1,9  2,a  3,b  4,c  5,d  6,e  7,f\n";
    char buf[8];
    for (unsigned row = first / 8 * 8; row <= last; row += 8) {
        std::snprintf(buf, sizeof buf, "%02x: ", row);
        out += buf;
        for (unsigned r = row; r < row + 8; ++r) {
            if (r < first || r > last) {
                out += "     ";
            } else if (!cells[r]) {
                out += "XXXX ";
            } else {
                std::snprintf(buf, sizeof buf, "%04x ", *cells[r]);
                out += buf;
            }
        }
        out += '\n';
    }
    return out;
}

// i2cdump's s mode: one SMBus block read of `command`, shown from 0x00.
std::vector<uint8_t> read_block(I2cBus& bus, const Device& dev, uint16_t addr, uint8_t command) {
    auto data = check(bus.read_block_data(addr, command));
    if (data.empty())  // i2cdump: "Block read failed, return code 0"
        throw Failure(adapter_name(dev) + ": chip " + hex2(addr) + ": SMBus block read of command " + hex2(command) +
                          " returned no data",
                      std::error_code(ENODATA, std::generic_category()));
    return data;
}

// The function the mode needs, in i2cdetect -F's words.
std::string_view function_of(char mode) {
    switch (mode) {
    case 'c': return "SMBus Receive Byte";
    case 'w':
    case 'W': return "SMBus Read Word";
    case 's': return "SMBus Block Read";
    case 'i': return "I2C Block Read";
    default: return "SMBus Read Byte";
    }
}

}  // namespace

int run_i2c_dump(App& app, const Args& args) {
    const CommandSpec spec{"i2c dump", "[-y] [-a] [-r FIRST-LAST] ADAPTER CHIP-ADDRESS [MODE [COMMAND]]",
                           "Reads registers 0x00-0xff (or FIRST-LAST) of an I2C device and prints\n"
                           "i2cdump's table. MODE: b byte data (default), w word data, W word data on\n"
                           "even registers only (each word fills a register and the next; FIRST must be\n"
                           "even and LAST odd), c consecutive byte reads after setting the start\n"
                           "address, i I2C block reads, s one SMBus block read of COMMAND (default 0x00;\n"
                           "no -r), shown from 0x00 for as many bytes as the device sends (i2cdump 4.3\n"
                           "deprecates s: 'usbio i2c get ADAPTER CHIP COMMAND s' reads the same).\n"
                           "Failed reads show as XX. A mode the adapter cannot do fails at once\n"
                           "('usbio i2c detect -F' lists what it can do).",
                           2, 4};
    po::options_description opts("Options");
    add_common_i2c_options(opts);
    opts.add_options()("range,r", po::value<std::string>()->value_name("FIRST-LAST"), "registers to read");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;
    const std::optional<AckCheck> ack = ack_check_option(*parsed);
    const Args& pos = parsed->positional;

    const uint16_t addr = parse_chip_address(pos[1], parsed->flag("all-addresses"));
    app.where.address = addr;
    const char mode = pos.size() >= 3 ? parse_mode(pos[2], "bwWcis") : 'b';
    if (pos.size() == 4 && mode != 's')
        throw UsageError("unexpected argument '" + pos[3] + "': only mode s takes a COMMAND (no bank switching)");
    const auto command =
        pos.size() == 4 ? static_cast<uint8_t>(parse_in_range(pos[3], 0, 0xff, "block command")) : uint8_t{0};
    const bool ranged = parsed->given("range");
    auto [first, last] =
        ranged ? parse_range(parsed->vm["range"].as<std::string>()) : std::pair<unsigned, unsigned>{0x00, 0xff};
    if (ranged && mode == 's')
        throw UsageError("-r cannot be used with mode s (one block read, as long as the device says)");
    if (mode == 'W' && (first % 2 != 0 || last % 2 != 1))
        throw UsageError("range " + hex2(first) + "-" + hex2(last) +
                         " does not suit mode W: FIRST must be even and LAST odd");

    Device dev = find_adapter(app, pos[0]);
    I2cBus bus = open_i2c_bus(dev, *parsed, ack);
    require_function(dev, bus.info(), function_of(mode));
    const std::string what = mode == 'c'   ? std::string("consecutive byte")
                             : mode == 'W' ? std::string("word data, even registers only")
                                           : std::string(mode_name(mode));
    confirm(app, parsed->flag("yes"),
            {mode == 's' ? "I will probe " + adapter_name(dev) + ", chip address " + hex2(addr) + ", command " +
                               hex2(command) + ", mode " + what + "."
                         : "I will probe " + adapter_name(dev) + ", chip address " + hex2(addr) + ", registers " +
                               hex2(first) + "-" + hex2(last) + ", mode " + what + "."});

    std::vector<Cell> cells;
    if (mode == 's') {
        auto data = read_block(bus, dev, addr, command);
        cells.assign(256, std::nullopt);
        for (std::size_t k = 0; k < data.size(); ++k) cells[k] = data[k];
        first = 0;
        last = static_cast<unsigned>(data.size() - 1);
    } else {
        cells = read_cells(bus, addr, mode, first, last);
    }
    if (app.json) {
        Json values = Json::array();
        for (unsigned r = first; r <= last; ++r) values.push_back(cells[r] ? Json(*cells[r]) : Json(nullptr));
        Json json{{"adapter", dev.info().id}, {"address", addr}, {"mode", std::string(1, mode)}};
        if (mode == 's') json["command"] = command;
        json["first"] = first;
        json["last"] = last;
        json["values"] = values;
        app.out << json_text(json) << "\n";
        return 0;
    }
    app.out << (mode == 'w' ? word_table(cells, first, last) : byte_table(cells, first, last, mode == 's'));
    return 0;
}

}  // namespace usbio::cli
