// SPDX-License-Identifier: Apache-2.0
#include "bench_config.hpp"

#include <cerrno>
#include <cstdlib>
#include <string_view>

namespace usbio::hw {

namespace {

std::optional<std::string> env(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    return std::string(v);
}

bool parse_number(std::string_view s, unsigned long max, unsigned long& out) {
    if (s.empty()) return false;
    std::string text(s);
    char* end = nullptr;
    errno = 0;
    out = std::strtoul(text.c_str(), &end, 0);
    return errno == 0 && *end == '\0' && text[0] != '-' && out <= max;
}

// "0x50", "80" or "none".
void address(const char* name, std::optional<uint16_t>& into, BenchConfig& c, bool* named = nullptr) {
    auto v = env(name);
    if (!v) return;
    if (named) *named = true;
    if (*v == "none") {
        into.reset();
        return;
    }
    unsigned long n = 0;
    if (!parse_number(*v, 0x7f, n)) {
        c.problems.push_back(std::string(name) + ": want a 7-bit address (0x08..0x77) or 'none', got '" + *v + "'");
        return;
    }
    into = static_cast<uint16_t>(n);
}

void number(const char* name, unsigned long max, unsigned& into, BenchConfig& c) {
    auto v = env(name);
    if (!v) return;
    unsigned long n = 0;
    if (!parse_number(*v, max, n)) {
        c.problems.push_back(std::string(name) + ": want a number up to " + std::to_string(max) + ", got '" + *v + "'");
        return;
    }
    into = static_cast<unsigned>(n);
}

void millis(const char* name, std::chrono::milliseconds& into, BenchConfig& c) {
    unsigned v = static_cast<unsigned>(into.count());
    number(name, 3'600'000, v, c);
    into = std::chrono::milliseconds(v);
}

// "0:1,2:3" (output:input) or "none".
void loopback(BenchConfig& c) {
    auto v = env("USBIO_HW_GPIO_LOOPBACK");
    if (!v) return;
    c.loopback.clear();
    if (*v == "none") return;
    std::string_view rest = *v;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        const auto colon = item.find(':');
        unsigned long out = 0, in = 0;
        if (colon == std::string_view::npos || !parse_number(item.substr(0, colon), 63, out) ||
            !parse_number(item.substr(colon + 1), 63, in) || out == in) {
            c.problems.push_back("USBIO_HW_GPIO_LOOPBACK: want OUT:IN[,OUT:IN...] or 'none', got '" + *v + "'");
            c.loopback.clear();
            return;
        }
        c.loopback.push_back({static_cast<unsigned>(out), static_cast<unsigned>(in)});
    }
}

void unplug(BenchConfig& c) {
    if (auto v = env("USBIO_HW_FAULT_CMD")) c.fault_cmd = *v;
    if (auto v = env("USBIO_HW_UNPLUG_CMD")) c.unplug_cmd = *v;
    if (auto v = env("USBIO_HW_REPLUG_CMD")) c.replug_cmd = *v;
    if (auto v = env("USBIO_HW_UHUBCTL")) c.uhubctl = *v;
    if (auto v = env("USBIO_HW_UHUBCTL_LOCATION")) c.hub_location = *v;
    if (auto v = env("USBIO_HW_UHUBCTL_PORT")) c.hub_port = *v;
    if (c.unplug_cmd.empty() != c.replug_cmd.empty())
        c.problems.push_back("USBIO_HW_UNPLUG_CMD and USBIO_HW_REPLUG_CMD go together");
    if (c.hub_location.empty() != c.hub_port.empty())
        c.problems.push_back("USBIO_HW_UHUBCTL_LOCATION and USBIO_HW_UHUBCTL_PORT go together");

    auto v = env("USBIO_HW_UNPLUG");
    if (!v || *v == "auto") {
        c.unplug = UnplugMethod::automatic;
    } else if (*v == "command") {
        c.unplug = UnplugMethod::command;
        if (c.unplug_cmd.empty()) c.problems.push_back("USBIO_HW_UNPLUG=command needs USBIO_HW_UNPLUG_CMD");
    } else if (*v == "uhubctl") {
        c.unplug = UnplugMethod::uhubctl;
        if (c.hub_location.empty()) c.problems.push_back("USBIO_HW_UNPLUG=uhubctl needs USBIO_HW_UHUBCTL_LOCATION");
    } else if (*v == "sysfs") {
        c.unplug = UnplugMethod::sysfs;
    } else if (*v == "none") {
        c.unplug = UnplugMethod::none;
    } else {
        c.problems.push_back("USBIO_HW_UNPLUG: want auto, command, uhubctl, sysfs or none, got '" + *v + "'");
    }
    if (c.unplug == UnplugMethod::automatic) {
        if (!c.unplug_cmd.empty())
            c.unplug = UnplugMethod::command;
        else if (!c.hub_location.empty())
            c.unplug = UnplugMethod::uhubctl;
        else
            c.unplug = UnplugMethod::sysfs;
    }
}

}  // namespace

BenchConfig load_config() {
    BenchConfig c;
    // One adapter per run; the first chip with a serial named is used.
    struct Chip {
        const char* driver;
        const char* var;
    };
    for (const Chip& chip : {Chip{"cp2112", "USBIO_HW_CP2112_SERIAL"}, Chip{"ftdi", "USBIO_HW_FTDI_SERIAL"}}) {
        if (auto v = env(chip.var)) {
            c.driver = chip.driver;
            c.serial_env = chip.var;
            c.serial = *v;
            break;
        }
    }
    if (c.serial_env.empty()) c.serial_env = "USBIO_HW_CP2112_SERIAL";

    address("USBIO_HW_EEPROM_ADDR", c.eeprom_addr, c);
    number("USBIO_HW_EEPROM_OFFSET", 0xffff, c.eeprom_offset, c);
    number("USBIO_HW_EEPROM_PAGE", 32, c.eeprom_page, c);
    number("USBIO_HW_EEPROM_ADDR_BYTES", 2, c.eeprom_addr_bytes, c);
    if (c.eeprom_page == 0) c.problems.push_back("USBIO_HW_EEPROM_PAGE: must not be 0");
    if (c.eeprom_addr_bytes == 0) c.problems.push_back("USBIO_HW_EEPROM_ADDR_BYTES: 1 or 2");
    if (c.eeprom_page && c.eeprom_offset % c.eeprom_page)
        c.problems.push_back("USBIO_HW_EEPROM_OFFSET: must be a multiple of the page size");
    address("USBIO_HW_SENSOR_ADDR", c.sensor_addr, c, &c.sensor_required);
    if (!c.sensor_addr) c.sensor_required = false;
    loopback(c);
    unplug(c);
    millis("USBIO_HW_ENODEV_LIMIT_MS", c.enodev_limit, c);
    millis("USBIO_HW_REPLUG_TIMEOUT_MS", c.replug_limit, c);
    return c;
}

const char* to_string(UnplugMethod m) noexcept {
    switch (m) {
    case UnplugMethod::automatic: return "auto";
    case UnplugMethod::command: return "command";
    case UnplugMethod::uhubctl: return "uhubctl";
    case UnplugMethod::sysfs: return "sysfs";
    case UnplugMethod::none: return "none";
    }
    return "?";
}

}  // namespace usbio::hw
