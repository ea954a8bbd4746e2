// SPDX-License-Identifier: Apache-2.0
// usbio: GPIO and I2C on USB bridge adapters from the command line.
//
// Global options come before the command; each command parses its own.
#include <iostream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "adapter_set.hpp"
#include "app.hpp"
#include "clients.hpp"
#include "commands.hpp"
#include "error_json.hpp"
#include "numbers.hpp"
#include "options.hpp"
#include "usbio/usbio.hpp"

#ifndef USBIO_VERSION
#define USBIO_VERSION "unknown"
#endif

namespace usbio::cli {
namespace {

struct Group {
    std::string_view name;
    std::string_view summary;
    std::span<const Command> commands;
};

const Command kGpioCommands[] = {
    {"detect", "list GPIO chips, one line per chip", run_gpio_detect},
    {"info", "show the lines of an adapter's GPIO chip", run_gpio_info},
    {"get", "read line values", run_gpio_get},
    {"set", "drive output lines, then exit or hold them (-m)", run_gpio_set},
    {"mon", "wait for edge events on input lines", run_gpio_mon},
    {"find", "find a line by name: prints CHIP OFFSET", run_gpio_find},
};

const Command kI2cCommands[] = {
    {"detect", "scan an I2C bus for devices", run_i2c_detect},
    {"get", "read a register (SMBus style)", run_i2c_get},
    {"set", "write a register (SMBus style)", run_i2c_set},
    {"dump", "dump a device's registers", run_i2c_dump},
    {"transfer", "send one combined transfer of I2C messages", run_i2c_transfer},
    {"recover", "clock a stuck I2C bus free", run_i2c_recover},
};

const Command kEepromCommands[] = {
    {"read", "copy an I2C EEPROM's contents to a file or stdout", run_eeprom_read},
    {"write", "write a file or stdin into an I2C EEPROM", run_eeprom_write},
    {"verify", "compare an I2C EEPROM's contents with a file", run_eeprom_verify},
};

const Group kGroups[] = {
    {"gpio", "GPIO lines", kGpioCommands},
    {"i2c", "I2C buses", kI2cCommands},
    {"eeprom", "serial EEPROMs on an adapter's I2C bus (at24)", kEepromCommands},
};

// Commands outside the groups.
const Command kTopCommands[] = {
    {"list", "list adapters, and adapters found but not usable", run_list},
    {"watch", "print adapter arrivals and departures as they happen", run_watch},
    {"config", "show or change an adapter's chip configuration", run_config},
};

}  // namespace

po::options_description global_options() {
    po::options_description opts("Global options");
    opts.add_options()("sim", po::value<std::vector<std::string>>()->composing()->value_name("CHIP"),
                       "attach a simulated adapter of this chip for this run (repeatable, or a comma list)")(
        "sim-state", po::value<std::string>()->value_name("FILE"),
        "keep the simulated adapters' state (EEPROM, GPIO, chip configuration) in FILE: loaded before the "
        "command, saved after it; the file is locked meanwhile")(
        "sim-unplug-after", po::value<std::string>()->value_name("N"),
        "pull the cable of the --sim adapters once each has carried N more USB transfers (counted from when "
        "the command starts): try any command against an unplug")(
        "client", po::value<std::vector<std::string>>()->composing()->value_name("ADAPTER:TYPE@ADDR"),
        "bind a chip on the adapter's I2C bus before the command runs, e.g. 0:pca9555@0x20 (repeatable); "
        "it becomes a device of its own, after the adapters")(
        "no-usb", po::bool_switch(), "use no real adapters (only --sim ones)")("json", po::bool_switch(),
                                                                               "machine-readable output")(
        "verbose,v", po::bool_switch(), "print notes on stderr (e.g. why no real adapter can be used)")(
        "help,h", po::bool_switch(), "show this help and exit")("version,V", po::bool_switch(),
                                                                "show the version and exit");
    return opts;
}

namespace {

void print_main_help(std::ostream& out) {
    out << "Usage: usbio [--sim CHIP]... [--sim-state FILE] [--sim-unplug-after N] [--client ADAPTER:TYPE@ADDR]...\n"
           "             [--no-usb] [--json] [-v] COMMAND [ARGS]...\n\n"
           "GPIO lines and I2C buses of USB bridge adapters.\n\nCommands:\n";
    for (const auto& c : kTopCommands)
        out << "  " << c.name << std::string(c.name.size() < 17 ? 17 - c.name.size() : 1, ' ') << c.summary << "\n";
    for (const auto& g : kGroups)
        for (const auto& c : g.commands) {
            std::string name = std::string(g.name) + " " + std::string(c.name);
            out << "  " << name << std::string(name.size() < 17 ? 17 - name.size() : 1, ' ') << c.summary << "\n";
        }
    out << "\nEvery command uses the real adapters on the machine (unless --no-usb) and\n"
           "the simulated ones of --sim. Adapters are named by index, serial number,\n"
           "USB port path or id, or by the name of their GPIO chip (cp2112-SIM0001, as\n"
           "'gpio detect' prints it) or I2C bus ('i2c detect -l'). Indexes count the\n"
           "adapters present when the command starts: --sim adapters first, in\n"
           "command-line order, then real adapters in the order USB enumeration lists\n"
           "them ('usbio list' shows them). An index may be written in hex or octal\n"
           "too (0x1, 01), as i2c-tools reads bus numbers.\n"
           "'usbio COMMAND --help' describes a command.\n\n"
        << global_options();
}

void print_group_help(std::ostream& out, const Group& g) {
    out << "Usage: usbio " << g.name << " COMMAND [ARGS]...\n\n" << g.summary << ":\n";
    for (const auto& c : g.commands)
        out << "  " << c.name << std::string(c.name.size() < 10 ? 10 - c.name.size() : 1, ' ') << c.summary << "\n";
    out << "\n'usbio " << g.name << " COMMAND --help' describes a command.\n";
}

// Global options end at the first word that is not an option (or its value).
std::size_t command_start(const Args& words) {
    std::size_t i = 0;
    while (i < words.size()) {
        const std::string& w = words[i];
        if (w == "--") return i;
        if (w.empty() || w[0] != '-') return i;
        i += (w == "--sim" || w == "--sim-state" || w == "--sim-unplug-after" || w == "--client") ? 2 : 1;
    }
    return words.size();
}

std::vector<std::string> sim_chips(const std::vector<std::string>& values) {
    std::vector<std::string> chips;
    for (const auto& v : values) {
        std::size_t start = 0;
        while (true) {
            std::size_t comma = v.find(',', start);
            std::string chip = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (chip.empty()) throw UsageError("--sim needs a chip name (e.g. --sim cp2112)");
            chips.push_back(chip);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    return chips;
}

struct Dispatch {
    std::string path;  // "i2c get": the command whose help a usage error points to
    bool json = false;
    Where where;
};

int run_command(App& app, const Args& rest, Dispatch& dispatch);

int run(const Args& words, Dispatch& dispatch) {
    std::size_t start = command_start(words);
    if (start > words.size()) start = words.size();
    Args global(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(start));
    if (start < words.size() && words[start] == "--") ++start;
    Args rest(words.begin() + static_cast<std::ptrdiff_t>(start), words.end());

    for (const auto& w : global)
        if (w == "--json") dispatch.json = true;  // so a bad command line gets a JSON error too
    po::variables_map vm;
    try {
        const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
        const po::options_description opts = global_options();
        po::store(parse_words(global, opts, style), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    if (vm["help"].as<bool>()) {
        print_main_help(std::cout);
        return 0;
    }
    if (vm["version"].as<bool>()) {
        std::cout << "usbio " USBIO_VERSION "\n";
        return 0;
    }
    if (rest.empty()) throw UsageError("no command given");

    AdapterSet::Plan plan;
    if (vm.count("sim")) plan.sim_chips = sim_chips(vm["sim"].as<std::vector<std::string>>());
    plan.usb = !vm["no-usb"].as<bool>();
    plan.verbose = vm["verbose"].as<bool>();
    if (vm.count("sim-state")) {
        plan.sim_state = vm["sim-state"].as<std::string>();
        if (plan.sim_state.empty()) throw UsageError("--sim-state needs a file name");
        if (plan.sim_chips.empty()) throw UsageError("--sim-state keeps the state of --sim adapters: give --sim CHIP");
    }

    RunSetup setup;
    setup.verbose = plan.verbose;
    if (vm.count("sim-unplug-after")) {
        if (plan.sim_chips.empty())
            throw UsageError("--sim-unplug-after pulls the cable of --sim adapters: give --sim CHIP");
        setup.sim_unplug_after =
            parse_decimal(vm["sim-unplug-after"].as<std::string>(), 0, 1'000'000'000, "--sim-unplug-after");
    }
    if (vm.count("client"))
        for (const auto& c : vm["client"].as<std::vector<std::string>>()) setup.clients.push_back(parse_client_spec(c));

    // The context outlives the adapters attached to it; commands attach them
    // when they first need them (App::context(), or watch with hotplug).
    Context ctx;
    AdapterSet adapters(ctx, std::move(plan), std::cerr);
    App app{ctx, adapters, vm["json"].as<bool>(), std::cin, std::cout, std::cerr, dispatch.where, std::move(setup)};
    int status = 0;
    try {
        status = run_command(app, rest, dispatch);
    } catch (...) {
        // The simulated hardware keeps what the failed command did to it.
        try {
            adapters.save_sim_state();
        } catch (const std::exception& e) {
            std::cerr << "usbio: " << e.what() << "\n";
        }
        throw;
    }
    adapters.save_sim_state();
    return status;
}

int run_command(App& app, const Args& rest, Dispatch& dispatch) {
    const std::string& first = rest[0];
    for (const auto& c : kTopCommands) {
        if (first != c.name) continue;
        dispatch.path = std::string(c.name);
        return c.run(app, Args(rest.begin() + 1, rest.end()));
    }
    for (const auto& g : kGroups) {
        if (first != g.name) continue;
        dispatch.path = std::string(g.name);
        if (rest.size() < 2) throw UsageError("'usbio " + std::string(g.name) + "' needs a command");
        const std::string& sub = rest[1];
        if (sub == "-h" || sub == "--help") {
            print_group_help(app.out, g);
            return 0;
        }
        for (const auto& c : g.commands) {
            if (sub != c.name) continue;
            dispatch.path += " " + std::string(c.name);
            return c.run(app, Args(rest.begin() + 2, rest.end()));
        }
        throw UsageError("unknown command '" + std::string(g.name) + " " + sub + "'");
    }
    throw UsageError("unknown command '" + first + "'");
}

// The one line on stderr, and with --json the error object on stdout.
int fail(const Dispatch& dispatch, const std::string& text, const std::error_code& code, int status,
         const Where& where) {
    std::cerr << "usbio: " << text << "\n";
    if (dispatch.json) std::cout << error_json(code, text, where) << "\n";
    return status;
}

std::error_code errno_code(int value) { return std::error_code(value, std::generic_category()); }

}  // namespace
}  // namespace usbio::cli

int main(int argc, char** argv) {
    using namespace usbio::cli;
    Dispatch dispatch;
    int status = kExitFailure;
    try {
        status = run(Args(argv + 1, argv + argc), dispatch);
    } catch (const UsageError& e) {
        std::string help = dispatch.path.empty() ? "usbio --help" : "usbio " + dispatch.path + " --help";
        status = fail(dispatch, std::string(e.what()) + "; try '" + help + "'", errno_code(EINVAL), kExitFailure,
                      dispatch.where);
    } catch (const Aborted& e) {
        status = fail(dispatch, e.what(), errno_code(ECANCELED), 0, dispatch.where);
    } catch (const Failure& e) {
        Where where = dispatch.where;
        if (e.line) where.line = e.line;
        status = fail(dispatch, e.what(), e.code, e.exit_code, where);
    } catch (const std::system_error& e) {
        // usbio::Exception: the library's message already names the adapter.
        std::string text = e.what();
        status = fail(dispatch, text, e.code(), kExitFailure, dispatch.where);
    } catch (const std::exception& e) {
        status = fail(dispatch, e.what(), errno_code(EIO), kExitFailure, dispatch.where);
    } catch (...) {
        status = fail(dispatch, "unexpected error", errno_code(EIO), kExitFailure, dispatch.where);
    }
    std::cout.flush();
    return status;
}
