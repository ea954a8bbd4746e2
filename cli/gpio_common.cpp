// SPDX-License-Identifier: Apache-2.0
#include "gpio_common.hpp"

#include <algorithm>

#include "numbers.hpp"

namespace usbio::cli {

namespace {

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

unsigned resolve_line(const GpioChip& chip, const ChipInfo& ci, const std::string& token) {
    if (all_digits(token)) {
        auto v = parse_long(token);
        if (!v || *v < 0 || static_cast<unsigned long>(*v) >= ci.num_lines) {
            std::string lines = ci.num_lines == 0
                                    ? "no lines"
                                    : std::to_string(ci.num_lines) + " lines, 0-" + std::to_string(ci.num_lines - 1);
            Failure f("offset " + token + " is out of range on chip '" + ci.name + "' (" + lines + ")");
            if (v) f.at_line(*v);
            throw f;
        }
        return static_cast<unsigned>(*v);
    }
    if (auto off = chip.find_line(token)) return *off;
    throw Failure("cannot find line '" + token + "' on chip '" + ci.name + "'");
}

std::vector<unsigned> resolve_lines(const GpioChip& chip, const ChipInfo& ci, const Args& tokens, Where& where) {
    std::vector<unsigned> offsets;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        unsigned off = resolve_line(chip, ci, tokens[i]);
        for (std::size_t j = 0; j < offsets.size(); ++j)
            if (offsets[j] == off) throw Failure("lines '" + tokens[j] + "' and '" + tokens[i] + "' are the same line");
        offsets.push_back(off);
    }
    if (offsets.size() == 1) where.line = offsets[0];
    return offsets;
}

void add_bias_option(po::options_description& opts) {
    opts.add_options()("bias,B", po::value<std::string>()->value_name("BIAS"),
                       "as-is (default), disable, pull-up or pull-down; only as-is works on adapters without a "
                       "configurable bias (CP2112)");
}

bool bias_requested(const Parsed& parsed) {
    if (!parsed.given("bias")) return false;
    const std::string& b = parsed.vm["bias"].as<std::string>();
    if (b == "as-is") return false;
    if (b == "disable" || b == "pull-up" || b == "pull-down") return true;
    throw UsageError("invalid bias '" + b + "': expected as-is, disable, pull-up or pull-down");
}

void refuse_bias(const Parsed& parsed, const Device& dev, unsigned first_line) {
    if (!bias_requested(parsed)) return;
    throw Failure(dev.info().display_name() + ": line " + std::to_string(first_line) + ": cannot set bias '" +
                      parsed.vm["bias"].as<std::string>() +
                      "': not supported by this adapter (EOPNOTSUPP): its lines have no configurable bias",
                  std::error_code(EOPNOTSUPP, std::generic_category()))
        .at_line(first_line);
}

}  // namespace usbio::cli
