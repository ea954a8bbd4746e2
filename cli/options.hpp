// SPDX-License-Identifier: Apache-2.0
// Per-command option parsing on top of Boost.Program_options: every command
// gets -h/--help, a usage line and a check of its positional arguments.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/program_options.hpp>

#include "app.hpp"

namespace usbio::cli {

namespace po = boost::program_options;

struct CommandSpec {
    std::string_view name;   // "i2c get"
    std::string_view usage;  // what follows "usbio i2c get "
    std::string_view about;  // paragraphs printed by --help
    std::size_t min_args = 0;
    std::size_t max_args = static_cast<std::size_t>(-1);
};

struct Parsed {
    po::variables_map vm;
    Args positional;

    bool flag(const char* name) const { return vm.count(name) && vm[name].as<bool>(); }
    bool given(const char* name) const { return vm.count(name) && !vm[name].defaulted(); }
};

// Boost.Program_options' command-line parser over `words`, in time linear in
// their number: positional words are collected here, and Boost sees one
// option at a time (with its value word). Positional words get the key
// `positional` (none when empty), as a positional description adding every
// word to that key would give.
po::parsed_options parse_words(const Args& words, const po::options_description& desc, int style,
                               const std::string& positional = "");

// The options given before the command (main.cpp).
po::options_description global_options();

// Parses a command's arguments (the words after its name). Prints the help
// and returns nullopt for -h/--help; throws UsageError for anything wrong.
std::optional<Parsed> parse_command(App& app, const CommandSpec& spec, po::options_description opts, const Args& args);

// "Usage: usbio i2c get ..." followed by the about text and the options.
void print_help(App& app, const CommandSpec& spec, const po::options_description& opts);

}  // namespace usbio::cli
