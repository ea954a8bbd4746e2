#include "options.hpp"

#include <ostream>
#include <string>

namespace usbio::cli {

void print_help(App& app, const CommandSpec& spec, const po::options_description& opts) {
    app.out << "Usage: usbio " << spec.name << ' ' << spec.usage << "\n";
    if (!spec.about.empty()) app.out << "\n" << spec.about << "\n";
    app.out << "\n" << opts;
}

std::optional<Parsed> parse_command(App& app, const CommandSpec& spec, po::options_description opts,
                                    const Args& args) {
    opts.add_options()
        ("json", po::bool_switch(), "machine-readable output (same as the global --json)")
        ("help,h", po::bool_switch(), "show this help and exit");

    po::options_description all;
    all.add(opts);
    all.add_options()("arg", po::value<Args>());
    po::positional_options_description pos;
    pos.add("arg", -1);

    // No guessing of abbreviated long options: a typo must not silently
    // select another option.
    const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;

    Parsed p;
    try {
        po::store(po::command_line_parser(args).options(all).positional(pos).style(style).run(), p.vm);
        po::notify(p.vm);
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
