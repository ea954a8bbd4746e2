// SPDX-License-Identifier: Apache-2.0
#include "numbers.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app.hpp"

namespace usbio::cli {

std::optional<long> parse_long(std::string_view text) {
    // strtol would skip leading white space (i2c-tools accepts " 0x48"); no
    // number on our command line may start with it, as none may end with it.
    if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return std::nullopt;
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

long parse_decimal(std::string_view text, long min, long max, std::string_view what) {
    auto out_of_range = [&] {
        return UsageError(std::string(what) + " " + std::string(text) + " out of range (" + std::to_string(min) + "-" +
                          std::to_string(max) + ")");
    };
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos)
        throw UsageError(std::string(what) + " '" + std::string(text) + "' is not a decimal number");
    long v = 0;
    for (char c : text) {
        v = v * 10 + (c - '0');
        if (v > max) throw out_of_range();  // before it could overflow
    }
    if (v < min) throw out_of_range();
    return v;
}

std::chrono::milliseconds parse_seconds(std::string_view text, std::string_view what) {
    constexpr long kMaxSeconds = 1'000'000;
    const std::size_t dot = text.find('.');
    std::string_view whole = text.substr(0, dot);
    std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    auto only_digits = [](std::string_view s) { return s.find_first_not_of("0123456789") == std::string_view::npos; };
    if (text.empty() || text == "." || !only_digits(whole) || !only_digits(fraction) ||
        (dot != std::string_view::npos && fraction.empty() && whole.empty()))
        throw UsageError(std::string(what) + " '" + std::string(text) + "' is not a number of seconds");
    long seconds = 0;
    for (char c : whole) {
        seconds = seconds * 10 + (c - '0');
        if (seconds > kMaxSeconds)
            throw UsageError(std::string(what) + " " + std::string(text) + " out of range (0-" +
                             std::to_string(kMaxSeconds) + " seconds)");
    }
    long millis = 0;
    for (std::size_t i = 0; i < 3; ++i) millis = millis * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
    if (fraction.size() > 3 && fraction[3] >= '5') ++millis;  // nearest millisecond
    if (seconds == kMaxSeconds && millis > 0)
        throw UsageError(std::string(what) + " " + std::string(text) + " out of range (0-" +
                         std::to_string(kMaxSeconds) + " seconds)");
    return std::chrono::milliseconds(seconds * 1000 + millis);
}

std::size_t parse_size(std::string_view text, std::size_t max, std::string_view what) {
    const bool kib = !text.empty() && (text.back() == 'K' || text.back() == 'k');
    std::optional<long> v;
    if (!kib) {
        v = parse_long(text);
    } else {
        // "4K", "64k": decimal digits only before the suffix ("010K" is ten KiB).
        const std::string_view digits = text.substr(0, text.size() - 1);
        if (!digits.empty() && digits.size() < 10 && digits.find_first_not_of("0123456789") == std::string_view::npos)
            v = std::stol(std::string(digits), nullptr, 10) * 1024;
    }
    if (!v || *v < 0) throw UsageError(std::string(what) + " '" + std::string(text) + "' is not a byte count");
    if (static_cast<unsigned long>(*v) > max)
        throw UsageError(std::string(what) + " " + std::string(text) + " out of range (0-" + std::to_string(max) + ")");
    return static_cast<std::size_t>(*v);
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
