#include "numbers.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app.hpp"

namespace usbio::cli {

std::optional<long> parse_long(std::string_view text) {
    // strtol skips leading blanks; a command-line number never has them.
    if (text.empty() || text.front() == ' ' || text.front() == '\t') return std::nullopt;
    std::string s(text);
    char* end = nullptr;
    errno = 0;
    long v = std::strtol(s.c_str(), &end, 0);
    if (errno != 0 || end == s.c_str() || *end != '\0') return std::nullopt;
    return v;
}

namespace {

std::string range_text(long min, long max) {
    if (max <= 0xff) return hex2(static_cast<unsigned>(min)) + "-" + hex2(static_cast<unsigned>(max));
    return hex4(static_cast<unsigned>(min)) + "-" + hex4(static_cast<unsigned>(max));
}

}  // namespace

long parse_in_range(std::string_view text, long min, long max, std::string_view what, bool hex) {
    auto v = parse_long(text);
    if (!v) throw UsageError(std::string(what) + " '" + std::string(text) + "' is not a number");
    if (*v < min || *v > max)
        throw UsageError(std::string(what) + " " + std::string(text) + " out of range (" +
                         (hex ? range_text(min, max) : std::to_string(min) + "-" + std::to_string(max)) + ")");
    return *v;
}

uint16_t parse_chip_address(std::string_view text, bool all_addresses) {
    long min = all_addresses ? 0x00 : 0x08;
    long max = all_addresses ? 0x7f : 0x77;
    return static_cast<uint16_t>(parse_in_range(text, min, max, "chip address"));
}

std::string hex2(unsigned v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%02x", v);
    return buf;
}

std::string hex4(unsigned v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%04x", v);
    return buf;
}

}  // namespace usbio::cli
