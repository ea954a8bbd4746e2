// SPDX-License-Identifier: Apache-2.0
// usbio i2c detect: i2cdetect's scan and grid.
#include <cstdio>
#include <ostream>
#include <string>

#include "adapter.hpp"
#include "commands.hpp"
#include "i2c_common.hpp"
#include "i2c_funcs.hpp"
#include "numbers.hpp"
#include "output.hpp"

namespace usbio::cli {

namespace {

enum class Probe { automatic, quick, read };

// i2cdetect reads instead of quick-writing where a quick write is known to
// upset chips: 0x30-0x37 (EEPROM write protection) and 0x50-0x5f (EEPROMs).
bool read_is_safer(uint16_t addr) { return (addr >= 0x30 && addr <= 0x37) || (addr >= 0x50 && addr <= 0x5f); }

bool no_quick_write(const std::error_code& ec) {
    return ec == std::errc::operation_not_supported || ec == std::errc::invalid_argument;
}

class Prober {
public:
    Prober(I2cBus& bus, Probe mode, std::string adapter) : bus_(bus), mode_(mode), adapter_(std::move(adapter)) {}

    // True when something ACKs at addr. A gone adapter ends the scan.
    bool probe(uint16_t addr) {
        bool read = mode_ == Probe::read || (mode_ == Probe::automatic && (read_is_safer(addr) || !quick_ok_));
        std::error_code ec;
        Error err;
        if (!read) {
            auto r = bus_.write(addr, {});
            if (!r.ok() && no_quick_write(r.code())) {
                // The CP2112 cannot send an address without data: fall back to
                // a one-byte read, as -r would.
                if (mode_ == Probe::quick)
                    throw Failure(adapter_ +
                                  ": the adapter cannot do an SMBus quick write; use -r to probe with reads");
                quick_ok_ = false;
                read = true;
            } else if (!r.ok()) {
                ec = r.code();
                err = r.error();
            }
        }
        if (read) {
            auto r = bus_.read_byte(addr);
            if (!r.ok()) {
                ec = r.code();
                err = r.error();
            }
        }
        if (ec == std::errc::no_such_device || ec == std::errc::operation_not_supported) throw Failure(message_of(err));
        return !ec;
    }

private:
    I2cBus& bus_;
    Probe mode_;
    std::string adapter_;
    bool quick_ok_ = true;
};

// i2cdetect -l: one line per adapter with an I2C bus. i2c-N is the
// adapter's index (what every command takes as ADAPTER); NAME is the bus
// name, which names the adapter too.
int list_buses(App& app) {
    Json items = Json::array();
    std::string text;
    std::size_t index = 0;
    for (const auto& dev : app.context().devices()) {
        const std::size_t n = index++;
        if (dev.i2c_bus_count() == 0) continue;
        const I2cBusInfo info = check(dev.i2c_bus(0)).info();
        if (app.json) {
            items.push_back({{"index", n}, {"adapter", dev.info().id}, {"name", info.name}});
            continue;
        }
        char line[256];
        std::snprintf(line, sizeof line, "i2c-%zu\t%-10s\t%-32s\t%s\n", n, "i2c", info.name.c_str(), "I2C adapter");
        text += line;
    }
    app.out << (app.json ? json_text({{"buses", items}}) + "\n" : text);
    return 0;
}

// i2cdetect -F: what the adapter's bus can do.
int list_functionality(App& app, const std::string& selector) {
    Device dev = find_adapter(app, selector);
    const I2cBusInfo info = open_i2c_bus(dev).info();
    const auto functions = i2c_functionality(info);
    if (!app.json) {
        app.out << functionality_text(info.name, functions);
        return 0;
    }
    Json items = Json::array();
    for (const auto& f : functions) items.push_back({{"name", f.name}, {"supported", f.supported}});
    app.out << json_text({{"adapter", dev.info().id}, {"name", info.name}, {"functionality", items}}) << "\n";
    return 0;
}

}  // namespace

int run_i2c_detect(App& app, const Args& args) {
    const CommandSpec spec{"i2c detect", "[-y] [-a] [-q|-r] ADAPTER [FIRST LAST]  |  -F ADAPTER  |  -l",
                           "Scans the adapter's I2C bus and prints i2cdetect's grid: '--' where no\n"
                           "device answers, the address where one does. Addresses 0x30-0x37 and\n"
                           "0x50-0x5f are probed with a one-byte read, others with a quick write\n"
                           "(or a one-byte read when the adapter cannot do a quick write).\n\n"
                           "-F lists what the adapter's bus can do, in i2cdetect -F's words, as worked\n"
                           "out from the adapter's limits (a CP2112: no quick command, no PEC).\n\n"
                           "-l lists the adapters that have an I2C bus, one line each, as i2cdetect -l:\n"
                           "  i2c-N<TAB>i2c<TAB>NAME<TAB>I2C adapter\n"
                           "N is the adapter's index and NAME its I2C bus name (\"cp2112-SIM0001 i2c\");\n"
                           "either names the adapter in every command.",
                           0, 3};
    po::options_description opts("Options");
    add_common_i2c_options(opts);
    opts.add_options()("quick,q", po::bool_switch(), "probe every address with a quick write")(
        "read,r", po::bool_switch(), "probe every address with a one-byte read")(
        "functionality,F", po::bool_switch(), "list the adapter's functionality instead of scanning")(
        "list,l", po::bool_switch(), "list the adapters with an I2C bus");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;
    const std::optional<AckCheck> ack = ack_check_option(*parsed);
    const bool funcs = parsed->flag("functionality");
    if (parsed->flag("quick") && parsed->flag("read")) throw UsageError("-q and -r cannot be used together");
    if (funcs && (parsed->flag("quick") || parsed->flag("read"))) throw UsageError("-F cannot be used with -q or -r");
    if (parsed->flag("list")) {
        if (!parsed->positional.empty())
            throw UsageError("unexpected argument '" + parsed->positional[0] + "' with -l");
        return list_buses(app);
    }
    if (parsed->positional.empty())
        throw UsageError("too few arguments (usage: usbio i2c detect " + std::string(spec.usage) + ")");
    if (funcs) {
        if (parsed->positional.size() > 1)
            throw UsageError("unexpected argument '" + parsed->positional[1] + "' with -F");
        return list_functionality(app, parsed->positional[0]);
    }
    if (parsed->positional.size() == 2) throw UsageError("LAST address missing after FIRST");

    const bool all = parsed->flag("all-addresses");
    uint16_t first = all ? 0x00 : 0x08;
    uint16_t last = all ? 0x7f : 0x77;
    if (parsed->positional.size() == 3) {
        first = parse_chip_address(parsed->positional[1], all);
        last = parse_chip_address(parsed->positional[2], all);
        if (last < first) throw UsageError("LAST address is lower than FIRST address");
    }
    Probe mode = parsed->flag("quick") ? Probe::quick : parsed->flag("read") ? Probe::read : Probe::automatic;

    Device dev = find_adapter(app, parsed->positional[0]);
    I2cBus bus = open_i2c_bus(dev, *parsed, ack);
    confirm(app, parsed->flag("yes"),
            {"I will probe the I2C bus of " + adapter_name(dev) + ".",
             std::string("I will probe address range ") + hex2(first) + "-" + hex2(last) + ".",
             mode == Probe::automatic ? "Probe method: quick write or one-byte read, by address."
             : mode == Probe::quick   ? "Probe method: quick write."
                                      : "Probe method: one-byte read."});

    Prober prober(bus, mode, adapter_name(dev));
    std::vector<long long> found;
    std::string grid = "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f\n";
    for (unsigned row = 0; row < 128; row += 16) {
        char label[8];
        std::snprintf(label, sizeof label, "%02x: ", row);
        grid += label;
        for (unsigned col = 0; col < 16; ++col) {
            const auto addr = static_cast<uint16_t>(row + col);
            if (addr < first || addr > last) {
                grid += "   ";
                continue;
            }
            if (prober.probe(addr)) {
                char cell[8];
                std::snprintf(cell, sizeof cell, "%02x ", addr);
                grid += cell;
                found.push_back(addr);
            } else {
                grid += "-- ";
            }
        }
        grid += "\n";
    }

    if (app.json) {
        app.out << json_text({{"adapter", dev.info().id}, {"first", first}, {"last", last}, {"addresses", found}})
                << "\n";
    } else {
        app.out << grid;
    }
    return 0;
}

}  // namespace usbio::cli
