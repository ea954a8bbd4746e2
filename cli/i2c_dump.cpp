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

std::string byte_table(const std::vector<Cell>& cells, unsigned first, unsigned last) {
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

}  // namespace

int run_i2c_dump(App& app, const Args& args) {
    const CommandSpec spec{"i2c dump", "[-y] [-a] [-r FIRST-LAST] ADAPTER CHIP-ADDRESS [MODE]",
                           "Reads registers 0x00-0xff (or FIRST-LAST) of an I2C device and prints\n"
                           "i2cdump's table. MODE: b byte data (default), w word data, c consecutive\n"
                           "byte reads after setting the start address, i I2C block reads.\n"
                           "Failed reads show as XX.",
                           2, 3};
    po::options_description opts("Options");
    add_common_i2c_options(opts);
    opts.add_options()("range,r", po::value<std::string>()->value_name("FIRST-LAST"), "registers to read");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;
    const Args& pos = parsed->positional;

    const uint16_t addr = parse_chip_address(pos[1], parsed->flag("all-addresses"));
    app.where.address = addr;
    const char mode = pos.size() == 3 ? parse_mode(pos[2], "bwci") : 'b';
    auto [first, last] = parsed->given("range") ? parse_range(parsed->vm["range"].as<std::string>())
                                                : std::pair<unsigned, unsigned>{0x00, 0xff};

    Device dev = find_adapter(app, pos[0]);
    I2cBus bus = open_i2c_bus(dev);
    confirm(app, parsed->flag("yes"),
            {"I will probe " + adapter_name(dev) + ", chip address " + hex2(addr) + ", registers " + hex2(first) + "-" +
             hex2(last) + ", mode " + (mode == 'c' ? "consecutive byte" : mode_name(mode)) + "."});

    auto cells = read_cells(bus, addr, mode, first, last);
    if (app.json) {
        std::vector<std::string> values;
        for (unsigned r = first; r <= last; ++r) values.push_back(cells[r] ? std::to_string(*cells[r]) : "null");
        app.out << JsonObject()
                       .str("adapter", dev.info().id)
                       .num("address", addr)
                       .str("mode", std::string(1, mode))
                       .num("first", first)
                       .num("last", last)
                       .raw("values", json_array(values))
                       .text()
                << "\n";
        return 0;
    }
    app.out << (mode == 'w' ? word_table(cells, first, last) : byte_table(cells, first, last));
    return 0;
}

}  // namespace usbio::cli
