// SPDX-License-Identifier: Apache-2.0
// What the gpio commands share: naming lines on the command line, and
// libgpiod's -B/--bias option.
#pragma once

#include <string>
#include <vector>

#include "app.hpp"
#include "options.hpp"

namespace usbio::cli {

// A line given by offset or by name; a Failure in libgpiod's words
// ("offset 8 is out of range on chip ...", "cannot find line 'x'").
unsigned resolve_line(const GpioChip& chip, const ChipInfo& ci, const std::string& token);

// Every token resolved; the same line named twice is a Failure. A single
// line becomes `where.line`, so a failure on it names it.
std::vector<unsigned> resolve_lines(const GpioChip& chip, const ChipInfo& ci, const Args& tokens, Where& where);

// -B/--bias as-is|disable|pull-up|pull-down (gpioget, gpioset, gpiomon).
void add_bias_option(po::options_description& opts);

// The -B value, checked before any adapter is touched: true when a bias
// other than as-is was asked for; a UsageError for an unknown word.
bool bias_requested(const Parsed& parsed);

// No adapter usbio drives has a configurable bias (the library offers none:
// CP2112 pins have fixed weak pull-ups), so a bias other than as-is fails
// with EOPNOTSUPP naming the adapter and the first line.
void refuse_bias(const Parsed& parsed, const Device& dev, unsigned first_line);

}  // namespace usbio::cli
