// SPDX-License-Identifier: Apache-2.0
#include "options.hpp"

#include <ostream>
#include <string>

namespace usbio::cli {

namespace {

// What Boost's parser takes for an option (or the "--" terminator) in the
// styles used here; every other word is positional.
bool option_word(const std::string& w) { return w.size() >= 2 && w[0] == '-'; }

}  // namespace

po::parsed_options parse_words(const Args& words, const po::options_description& desc, int style,
                               const std::string& positional) {
    // Boost erases every word from the front of its vector as it goes, which
    // is quadratic in the number of words: it only ever gets one option word
    // here, with the next one when the option wants that as its value (none
    // of our options has an optional or multi-word value).
    auto boost_parse = [&](Args chunk) { return po::command_line_parser(chunk).options(desc).style(style).run(); };
    po::parsed_options result = boost_parse({});
    int position = 0;
    auto add = [&](po::option o) {
        if (o.string_key.empty()) {  // a value word Boost did not take
            o.string_key = positional;
            o.position_key = position++;
        }
        result.options.push_back(std::move(o));
    };
    auto add_positional = [&](const std::string& w) {
        po::option o;
        o.value = {w};
        o.original_tokens = {w};
        add(std::move(o));
    };

    std::size_t i = 0;
    while (i < words.size()) {
        const std::string& w = words[i];
        if (w == "--") {
            for (++i; i < words.size(); ++i) add_positional(words[i]);
            break;
        }
        if (!option_word(w)) {
            add_positional(w);
            ++i;
            continue;
        }
        po::parsed_options one(&desc);
        try {
            one = boost_parse({w});
            ++i;
        } catch (const po::error&) {
            // An option needing a value takes the next word, whatever it is;
            // Boost says whether that works, and what is wrong if not.
            if (i + 1 == words.size()) throw;
            one = boost_parse({w, words[i + 1]});
            i += 2;
        }
        for (auto& o : one.options) add(std::move(o));
    }
    return result;
}

void print_help(App& app, const CommandSpec& spec, const po::options_description& opts) {
    app.out << "Usage: usbio " << spec.name << ' ' << spec.usage << "\n";
    if (!spec.about.empty()) app.out << "\n" << spec.about << "\n";
    app.out << "\n" << opts;
}

std::optional<Parsed> parse_command(App& app, const CommandSpec& spec, po::options_description opts, const Args& args) {
    opts.add_options()("json", po::bool_switch(), "machine-readable output (same as the global --json)")(
        "help,h", po::bool_switch(), "show this help and exit");

    po::options_description all;
    all.add(opts);
    all.add_options()("arg", po::value<Args>());

    // No guessing of abbreviated long options: a typo must not silently
    // select another option.
    const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;

    Parsed p;
    try {
        po::store(parse_words(args, all, style, "arg"), p.vm);
        po::notify(p.vm);
    } catch (const po::unknown_option& e) {
        // A global option after the command: say where it goes.
        const std::string name = e.get_option_name();
        if (name.size() > 2 && global_options().find_nothrow(name.substr(2), false))
            throw UsageError(name + " is a global option: give it before the command (usbio " + name + " ... " +
                             std::string(spec.name) + " ...)");
        throw UsageError(e.what());
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    if (p.flag("help")) {
        print_help(app, spec, opts);
        return std::nullopt;
    }
    if (p.flag("json")) app.json = true;
    if (p.vm.count("arg")) p.positional = p.vm["arg"].as<Args>();

    std::string usage = "usage: usbio " + std::string(spec.name);
    if (!spec.usage.empty()) usage += " " + std::string(spec.usage);
    if (p.positional.size() < spec.min_args) throw UsageError("too few arguments (" + usage + ")");
    if (p.positional.size() > spec.max_args)
        throw UsageError("unexpected argument '" + p.positional[spec.max_args] + "' (" + usage + ")");
    return p;
}

}  // namespace usbio::cli
