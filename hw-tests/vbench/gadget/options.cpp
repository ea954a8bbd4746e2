// SPDX-License-Identifier: Apache-2.0
#include "options.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace usbio::vbench {
namespace {

void usage(std::FILE* to) {
    std::fputs(
        "usage: usbio_ffs_gadget [options]\n"
        "Serves a usbio chip model as a USB gadget through configfs and FunctionFS.\n"
        "  --model NAME       chip model (cp2112, ft232h: high speed only)\n"
        "  --serial TEXT      USB serial number (default 0001)\n"
        "  --name NAME        gadget and FunctionFS instance name (default usbio)\n"
        "  --configfs DIR     usb_gadget directory (default /sys/kernel/config/usb_gadget)\n"
        "  --mount DIR        where to mount FunctionFS (default /dev/ffs-NAME)\n"
        "  --udc NAME         bind to this UDC once ready (default: leave unbound)\n"
        "  --jumper FROM:TO   wire GPIO line FROM to input line TO (repeatable)\n"
        "  --control PATH     create a FIFO there and take commands from it\n"
        "  --eeprom-write-ms N  EEPROM write cycle time (default: the model's)\n"
        "  --eeprom-part TYPE EEPROM part, as at24 names it (default 24c32; CP2112 only)\n"
        "  --device-version N CP2112 device version: 1 (no repeated START), 2 (default),\n"
        "                     3 (Auto Send Read without erratum CP2112_E101); CP2112 only\n"
        "  --counters PATH    count the control requests, OUT and IN packets served in this file\n"
        "  --verbose          log every packet\n"
        "Prints 'USBIO-GADGET READY' when the gadget can be bound; exits on SIGTERM/SIGINT.\n",
        to);
}

bool parse_pin(std::string_view s, unsigned& pin) {
    if (s.empty() || s.size() > 2) return false;
    pin = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        pin = pin * 10 + unsigned(c - '0');
    }
    return true;
}

}  // namespace

std::optional<GadgetOptions> parse_options(int argc, char** argv, int& exit_code) {
    GadgetOptions o;
    exit_code = 2;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&](std::string& into) {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "usbio_ffs_gadget: %s needs a value\n", argv[i]);
                return false;
            }
            into = argv[++i];
            return true;
        };
        std::string jumper;
        if (arg == "--help" || arg == "-h") {
            usage(stdout);
            exit_code = 0;
            return std::nullopt;
        } else if (arg == "--verbose") {
            o.verbose = true;
        } else if (arg == "--model") {
            if (!value(o.bench.model)) return std::nullopt;
        } else if (arg == "--serial") {
            if (!value(o.bench.serial)) return std::nullopt;
        } else if (arg == "--name") {
            if (!value(o.name)) return std::nullopt;
        } else if (arg == "--configfs") {
            if (!value(o.configfs)) return std::nullopt;
        } else if (arg == "--mount") {
            if (!value(o.mount_dir)) return std::nullopt;
        } else if (arg == "--eeprom-write-ms") {
            std::string ms;
            if (!value(ms)) return std::nullopt;
            char* end = nullptr;
            const unsigned long v = std::strtoul(ms.c_str(), &end, 10);
            if (ms.empty() || *end != '\0' || v > 60000) {
                std::fprintf(stderr, "usbio_ffs_gadget: --eeprom-write-ms wants 0..60000\n");
                return std::nullopt;
            }
            o.bench.eeprom_write_ms = int(v);
        } else if (arg == "--device-version") {
            // The model's values are checked where the model is made.
            std::string v;
            if (!value(v)) return std::nullopt;
            char* end = nullptr;
            o.bench.device_version = std::strtoul(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0') {
                std::fprintf(stderr, "usbio_ffs_gadget: --device-version wants a number, got '%s'\n", v.c_str());
                return std::nullopt;
            }
        } else if (arg == "--eeprom-part") {
            if (!value(o.bench.eeprom_part)) return std::nullopt;
        } else if (arg == "--control") {
            if (!value(o.control)) return std::nullopt;
        } else if (arg == "--counters") {
            if (!value(o.bench.counters)) return std::nullopt;
        } else if (arg == "--udc") {
            if (!value(o.udc)) return std::nullopt;
        } else if (arg == "--jumper") {
            if (!value(jumper)) return std::nullopt;
            const auto colon = jumper.find(':');
            unsigned from = 0, to = 0;
            if (colon == std::string::npos || !parse_pin(std::string_view(jumper).substr(0, colon), from) ||
                !parse_pin(std::string_view(jumper).substr(colon + 1), to)) {
                std::fprintf(stderr, "usbio_ffs_gadget: --jumper wants FROM:TO, got '%s'\n", jumper.c_str());
                return std::nullopt;
            }
            o.bench.jumpers.emplace_back(from, to);
        } else {
            std::fprintf(stderr, "usbio_ffs_gadget: unknown argument '%s'\n", argv[i]);
            usage(stderr);
            return std::nullopt;
        }
    }
    if (o.name.empty() || o.name.find('/') != std::string::npos) {
        std::fprintf(stderr, "usbio_ffs_gadget: bad --name '%s'\n", o.name.c_str());
        return std::nullopt;
    }
    if (o.mount_dir.empty()) o.mount_dir = "/dev/ffs-" + o.name;
    exit_code = 0;
    return o;
}

}  // namespace usbio::vbench
