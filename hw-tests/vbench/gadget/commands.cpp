// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <vector>

namespace usbio::vbench {
namespace {

// Stray reports are as long as the longest HID report (the CP2112's 64).
constexpr std::size_t kStrayLength = 64;
constexpr unsigned long kMaxStrays = 10000;
constexpr unsigned long kMaxLateMs = 60000;

// An unsigned number in C syntax up to `max`; false for anything else.
bool count_arg(const std::string& s, unsigned long max, unsigned long& out) {
    if (s.empty() || s[0] == '-') return false;
    char* end = nullptr;
    errno = 0;
    out = std::strtoul(s.c_str(), &end, 0);
    return errno == 0 && *end == '\0' && out <= max;
}

}  // namespace

std::string run_command(std::string_view line, BenchDevice& device, EndpointPumps& pumps) {
    std::istringstream in{std::string(line)};
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    if (words.empty()) return "ok";
    if (words[0] == "hold-out") {
        if (words.size() != 2 || (words[1] != "0" && words[1] != "1")) return "error: hold-out wants 1 or 0";
        pumps.set_out_hold(words[1] == "1");
        return "ok";
    }
    if (words[0] == "stray") {
        unsigned long count = 0, id = 0x16;
        if (words.size() < 2 || words.size() > 3 || !count_arg(words[1], kMaxStrays, count) ||
            (words.size() == 3 && !count_arg(words[2], 0xFF, id)))
            return "error: stray wants COUNT (up to 10000) and an optional report ID";
        std::vector<uint8_t> report(kStrayLength, 0);
        report[0] = static_cast<uint8_t>(id);
        pumps.in_faults().add_strays(report, unsigned(count));
        pumps.in_ready();
        return "ok";
    }
    if (words[0] == "late") {
        unsigned long ms = 0, id = 0;
        if (words.size() < 2 || words.size() > 3 || !count_arg(words[1], kMaxLateMs, ms) ||
            (words.size() == 3 && !count_arg(words[2], 0xFF, id)))
            return "error: late wants MILLISECONDS (up to 60000) and an optional report ID";
        std::optional<uint8_t> which;
        if (words.size() == 3) which = static_cast<uint8_t>(id);
        pumps.in_faults().delay_next(std::chrono::milliseconds(ms), which);
        return "ok";
    }
    return device.world(words);
}

}  // namespace usbio::vbench
