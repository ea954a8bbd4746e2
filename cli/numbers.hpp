// SPDX-License-Identifier: Apache-2.0
// Numbers on the command line, read as i2c-tools reads them: strtol with
// base 0 (0x.. hex, 0.. octal, decimal), but nothing may follow the number
// and, unlike strtol, no white space may precede it. Every number the
// command reads goes through here (or parse_decimal / parse_seconds, which
// take digits only).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace usbio::cli {

// The number, or nullopt for empty text, leading white space, trailing
// garbage or overflow.
std::optional<long> parse_long(std::string_view text);

// The number in [min, max]; otherwise a UsageError naming `what`
// ("data address 0x100 out of range (0x00-0xff)"). The range is shown in
// hex unless `hex` is false (counts such as lengths).
long parse_in_range(std::string_view text, long min, long max, std::string_view what, bool hex = true);

// A count or period: decimal digits only (no sign, no 0x, "010" is ten), in
// [min, max] (max well below LONG_MAX / 10); otherwise a UsageError naming
// `what`.
long parse_decimal(std::string_view text, long min, long max, std::string_view what);

// A duration in seconds, "2" or "0.25" (millisecond resolution, at most
// 1000000 s); otherwise a UsageError naming `what`.
std::chrono::milliseconds parse_seconds(std::string_view text, std::string_view what);

// A byte count or offset: a number as parse_long reads it (decimal, 0x
// hex, 0 octal), or decimal with a K suffix for KiB ("4K" is 4096), in
// [0, max]; otherwise a UsageError naming `what`.
std::size_t parse_size(std::string_view text, std::size_t max, std::string_view what);

// A 7-bit chip address: 0x08-0x77, or 0x00-0x7f with all_addresses (-a).
uint16_t parse_chip_address(std::string_view text, bool all_addresses);

// "0x%02x" and friends.
std::string hex2(unsigned v);
std::string hex4(unsigned v);

}  // namespace usbio::cli
