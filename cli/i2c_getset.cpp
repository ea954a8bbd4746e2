// SPDX-License-Identifier: Apache-2.0
// usbio i2c get / i2c set: i2cget's and i2cset's SMBus register access.
#include <cctype>
#include <ostream>
#include <string>

#include "adapter.hpp"
#include "adapter_set.hpp"
#include "commands.hpp"
#include "i2c_common.hpp"
#include "numbers.hpp"
#include "output.hpp"

namespace usbio::cli {

namespace {

std::string hex_bytes(const std::vector<uint8_t>& bytes) {
    std::vector<std::string> words;
    for (uint8_t b : bytes) words.push_back(hex2(b));
    return join(words, " ");
}

}  // namespace

int run_i2c_get(App& app, const Args& args) {
    const CommandSpec spec{"i2c get", "[-y] [-a] ADAPTER CHIP-ADDRESS [DATA-ADDRESS [MODE [LENGTH]]]",
                           "Reads from an I2C device as i2cget does. Without DATA-ADDRESS, receives one\n"
                           "byte. MODE: b read byte data (default), w read word data, c write byte\n"
                           "then read byte, s SMBus block read, i I2C block read of LENGTH bytes\n"
                           "(1-32, default 32). Prints 0x.. values.",
                           2, 5};
    po::options_description opts("Options");
    add_common_i2c_options(opts);
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;
    const std::optional<AckCheck> ack = ack_check_option(*parsed);
    const Args& pos = parsed->positional;

    const uint16_t addr = parse_chip_address(pos[1], parsed->flag("all-addresses"));
    app.where.address = addr;
    const bool has_reg = pos.size() >= 3;
    const auto reg = has_reg ? static_cast<uint8_t>(parse_in_range(pos[2], 0, 0xff, "data address")) : uint8_t{0};
    char mode = pos.size() >= 4 ? parse_mode(pos[3], "bwcsi") : 'b';
    std::size_t length = 32;
    if (pos.size() == 5) {
        if (mode != 'i') throw UsageError("LENGTH is only valid with mode i");
        length = static_cast<std::size_t>(parse_in_range(pos[4], 1, 32, "length", false));
    }

    Device dev = find_adapter(app, pos[0]);
    I2cBus bus = open_i2c_bus(dev, *parsed, ack);
    std::string plan = "I will read from " + adapter_name(dev) + ", chip address " + hex2(addr);
    if (has_reg)
        plan += ", data address " + hex2(reg) + ", using " +
                (mode == 'c' ? std::string("write byte then read byte") : std::string("read ") + mode_name(mode)) + ".";
    else
        plan += ", using read byte.";
    confirm(app, parsed->flag("yes"), {plan});

    Json json{{"adapter", dev.info().id}, {"address", addr}};
    if (has_reg) json["register"] = reg;

    // Every transfer failure here is i2cget's "Read failed" (exit 2).
    std::string text;
    if (!has_reg) {
        uint8_t v = check(bus.read_byte(addr), kExitReadFailed);
        text = hex2(v);
        json["value"] = v;
    } else if (mode == 'b') {
        uint8_t v = check(bus.read_byte_data(addr, reg), kExitReadFailed);
        text = hex2(v);
        json["value"] = v;
    } else if (mode == 'w') {
        uint16_t v = check(bus.read_word_data(addr, reg), kExitReadFailed);
        text = hex4(v);
        json["value"] = v;
    } else if (mode == 'c') {
        check(bus.write_byte(addr, reg), kExitReadFailed);
        uint8_t v = check(bus.read_byte(addr), kExitReadFailed);
        text = hex2(v);
        json["value"] = v;
    } else {
        std::vector<uint8_t> data;
        if (mode == 's') {
            data = check(bus.read_block_data(addr, reg), kExitReadFailed);
        } else {
            data.resize(length);
            check(bus.read_i2c_block_data(addr, reg, data), kExitReadFailed);
        }
        text = hex_bytes(data);
        json["data"] = data;
    }
    app.out << (app.json ? json_text(json) : text) << "\n";
    return 0;
}

int run_i2c_set(App& app, const Args& args) {
    const CommandSpec spec{"i2c set", "[-y] [-a] [-r] [-m MASK] ADAPTER CHIP-ADDRESS DATA-ADDRESS [VALUE]... [MODE]",
                           "Writes to an I2C device as i2cset does. MODE: c send DATA-ADDRESS only\n"
                           "(default when no VALUE), b write byte data (default), w write word data,\n"
                           "s SMBus block write, i I2C block write (1-32 VALUEs for s and i).\n"
                           "With -m, the old value is read first and, unless -y, a second question\n"
                           "shows what will be written. With -r, a read-back that fails prints\n"
                           "\"Warning - readback failed\" (the reason on stderr) and exits 0, as i2cset.",
                           3};
    po::options_description opts("Options");
    add_common_i2c_options(opts);
    opts.add_options()("readback,r", po::bool_switch(), "read the value back and compare (modes b, w, c)")(
        "mask,m", po::value<std::string>()->value_name("MASK"),
        "change only the bits set in MASK (read-modify-write; modes b, w)");
    po::options_description sim_opts("Test aid (simulated adapters only)");
    sim_opts.add_options()("sim-unplug-before-readback", po::bool_switch(),
                           "unplug the simulated adapter between the write and the read-back (-r)");
    opts.add(sim_opts);
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;
    const std::optional<AckCheck> ack = ack_check_option(*parsed);

    Args rest(parsed->positional.begin() + 3, parsed->positional.end());
    char mode = 'c';
    // A MODE is letters; any other word is a VALUE, checked as one below.
    if (!rest.empty() && !parse_long(rest.back()) && std::isalpha(static_cast<unsigned char>(rest.back()[0]))) {
        mode = parse_mode(rest.back(), "bwcsi");
        rest.pop_back();
    } else if (!rest.empty()) {
        mode = 'b';
    }

    const uint16_t addr = parse_chip_address(parsed->positional[1], parsed->flag("all-addresses"));
    app.where.address = addr;
    const auto reg = static_cast<uint8_t>(parse_in_range(parsed->positional[2], 0, 0xff, "data address"));
    const bool readback = parsed->flag("readback");
    const bool masked = parsed->given("mask");

    switch (mode) {
    case 'c':
        if (!rest.empty()) throw UsageError("mode c takes no VALUE");
        break;
    case 'b':
    case 'w':
        if (rest.size() != 1) throw UsageError(std::string("mode ") + mode + " takes exactly one VALUE");
        break;
    default:
        if (rest.empty() || rest.size() > 32) throw UsageError(std::string("mode ") + mode + " takes 1 to 32 VALUEs");
        if (readback || masked) throw UsageError("mask and readback are not supported for block writes");
    }
    if (masked && mode == 'c') throw UsageError("mask is not supported in mode c");

    const long max = mode == 'w' ? 0xffff : 0xff;
    std::vector<uint8_t> block;
    long value = 0;
    for (const auto& v : rest) {
        value = parse_in_range(v, 0, max, "value");
        block.push_back(static_cast<uint8_t>(value));
    }
    const long mask = masked ? parse_in_range(parsed->vm["mask"].as<std::string>(), 0, max, "mask") : max;

    const bool unplug_before_readback = parsed->flag("sim-unplug-before-readback");
    if (unplug_before_readback && !readback) throw UsageError("--sim-unplug-before-readback needs -r");

    Device dev = find_adapter(app, parsed->positional[0]);
    std::shared_ptr<sim::Adapter> sim;
    if (unplug_before_readback && !(sim = app.adapters.sim_of(dev)))
        throw UsageError(dev.info().display_name() +
                         " is not simulated: --sim-unplug-before-readback needs a --sim adapter");
    I2cBus bus = open_i2c_bus(dev, *parsed, ack);
    std::vector<std::string> plan;
    const bool eeprom_range = addr >= 0x50 && addr <= 0x57;
    if (eeprom_range) plan.push_back("DANGEROUS! Writing to 0x50-0x57 may change a serial EEPROM for good.");
    std::string what =
        "I will write to " + adapter_name(dev) + ", chip address " + hex2(addr) + ", data address " + hex2(reg);
    if (mode == 'b' || mode == 'w') what += ", data " + (mode == 'w' ? hex4(value) : hex2(value));
    if (mode == 's' || mode == 'i') what += ", data " + hex_bytes(block);
    if (masked) what += mode == 'w' ? ", mask " + hex4(mask) : ", mask " + hex2(mask);
    plan.push_back(what + ", mode " + mode_name(mode) + ".");
    confirm(app, parsed->flag("yes"), plan, !eeprom_range);

    auto fmt = [&](long v) { return mode == 'w' ? hex4(static_cast<unsigned>(v)) : hex2(static_cast<unsigned>(v)); };
    if (masked) {
        long old = mode == 'w' ? check(bus.read_word_data(addr, reg)) : check(bus.read_byte_data(addr, reg));
        value = (value & mask) | (old & ~mask);
        if (!parsed->flag("yes"))
            ask(app, {"Old value " + fmt(old) + ", write mask " + fmt(mask) + ": Will write " + fmt(value) +
                      " to register " + hex2(reg)});
    }
    switch (mode) {
    case 'c': check(bus.write_byte(addr, reg)); break;
    case 'b': check(bus.write_byte_data(addr, reg, static_cast<uint8_t>(value))); break;
    case 'w': check(bus.write_word_data(addr, reg, static_cast<uint16_t>(value))); break;
    case 's': check(bus.write_block_data(addr, reg, block)); break;
    case 'i': {
        std::vector<uint8_t> out{reg};
        out.insert(out.end(), block.begin(), block.end());
        check(bus.write(addr, out));
        break;
    }
    }
    if (!readback) return 0;

    if (sim) sim->unplug();
    long expected = mode == 'c' ? reg : value;
    auto widen = [](auto r) -> Result<long> {
        if (!r.ok()) return r.error();
        return static_cast<long>(r.value());
    };
    Result<long> read_back = mode == 'w'   ? widen(bus.read_word_data(addr, reg))
                             : mode == 'b' ? widen(bus.read_byte_data(addr, reg))
                                           : widen(bus.read_byte(addr));
    // With --json the outcome is one object; the text is i2cset's.
    Json json{{"adapter", dev.info().id}, {"address", addr}, {"register", reg}, {"written", expected}};
    if (!read_back.ok()) {
        // The write went through: i2cset warns and still succeeds.
        app.err << "usbio: readback failed: " << message_of(read_back.error()) << "\n";
        json["readback"] = nullptr;
        app.out << (app.json ? json_text(json) : "Warning - readback failed") << "\n";
        return 0;
    }
    const long got = read_back.value();
    json["readback"] = got;
    json["matched"] = got == expected;
    if (app.json)
        app.out << json_text(json) << "\n";
    else if (got == expected)
        app.out << "Value " << fmt(expected) << " written, readback matched\n";
    else
        app.out << "Warning - data mismatch - wrote " << fmt(expected) << ", read back " << fmt(got) << "\n";
    return 0;
}

}  // namespace usbio::cli
