// SPDX-License-Identifier: Apache-2.0
#include "i2c_common.hpp"

#include <istream>
#include <ostream>

#include "adapter.hpp"

namespace usbio::cli {

void add_common_i2c_options(po::options_description& opts) {
    opts.add_options()("yes,y", po::bool_switch(), "do not ask for confirmation")(
        "all-addresses,a", po::bool_switch(), "allow chip addresses 0x00-0x7f (default 0x08-0x77)")(
        "force,f", po::bool_switch(), "accepted for compatibility with i2c-tools; has no effect")(
        "stretch", po::bool_switch(),
        "let targets stretch the clock: the FT232H and FT2232H then wait on ADBUS7, wired to SCL, which "
        "stops being a GPIO line (the CP2112 always waits; the FT4232H cannot)")(
        "ack-check", po::value<std::string>()->value_name("MODE"),
        "when ACK bits are checked: at_end (default; one USB round trip, bytes after a NACK are still sent on an "
        "FTDI), after_address, each_byte (a round trip per byte, stops at a NACK); FTDI adapters have all three");
}

std::optional<AckCheck> ack_check_option(const Parsed& parsed) {
    if (!parsed.vm.count("ack-check")) return std::nullopt;
    const auto& word = parsed.vm["ack-check"].as<std::string>();
    for (AckCheck mode : {AckCheck::at_end, AckCheck::after_address, AckCheck::each_byte})
        if (word == to_string(mode)) return mode;
    throw UsageError("invalid --ack-check mode '" + word + "' (expected at_end, after_address or each_byte)");
}

I2cBus open_i2c_bus(const Device& dev, const Parsed& parsed, std::optional<AckCheck> ack) {
    I2cBus bus = open_i2c_bus(dev);
    if (parsed.flag("stretch")) check(bus.set_clock_stretching(true));
    if (ack) check(bus.set_ack_check(*ack));
    return bus;
}

void confirm(App& app, bool yes, const std::vector<std::string>& plan, bool default_yes) {
    confirm(app, yes, "WARNING! This program can confuse your I2C bus, cause data loss and worse!", plan, default_yes);
}

void confirm(App& app, bool yes, std::string_view warning, const std::vector<std::string>& plan, bool default_yes) {
    if (yes) return;
    app.err << warning << "\n";
    ask(app, plan, default_yes);
}

void ask(App& app, const std::vector<std::string>& plan, bool default_yes) {
    for (const auto& line : plan) app.err << line << "\n";
    app.err << (default_yes ? "Continue? [Y/n] " : "Continue? [y/N] ");
    app.err.flush();

    std::string answer;
    // No answer (end of input) is a "no", as in i2c-tools.
    if (!std::getline(app.in, answer)) throw Aborted();
    std::size_t first = answer.find_first_not_of(" \t\r");
    bool accepted = default_yes;
    if (first != std::string::npos) {
        char c = answer[first];
        if (c == 'y' || c == 'Y')
            accepted = true;
        else if (c == 'n' || c == 'N')
            accepted = false;
    }
    if (!accepted) throw Aborted();
}

char parse_mode(std::string_view text, std::string_view allowed) {
    if (text.size() == 2 && text[1] == 'p' && allowed.find(text[0]) != std::string_view::npos)
        throw Failure("mode '" + std::string(text) + "': PEC is not supported by this adapter");
    if (text.size() != 1 || allowed.find(text[0]) == std::string_view::npos) {
        std::string letters;
        for (char c : allowed) {
            if (!letters.empty()) letters += ", ";
            letters += c;
        }
        throw UsageError("invalid mode '" + std::string(text) + "' (expected one of " + letters + ")");
    }
    return text[0];
}

const char* mode_name(char mode) {
    switch (mode) {
    case 'b': return "byte data";
    case 'w':
    case 'W': return "word data";
    case 'c': return "byte";
    case 's': return "SMBus block";
    case 'i': return "I2C block";
    default: return "?";
    }
}

std::string adapter_name(const Device& dev) { return dev.info().display_name(); }

}  // namespace usbio::cli
