// SPDX-License-Identifier: Apache-2.0
// What the gpio commands share: naming lines on the command line.
#pragma once

#include <string>
#include <vector>

#include "app.hpp"

namespace usbio::cli {

// A line given by offset or by name; a Failure in libgpiod's words
// ("offset 8 is out of range on chip ...", "cannot find line 'x'").
unsigned resolve_line(const GpioChip& chip, const ChipInfo& ci, const std::string& token);

// Every token resolved; the same line named twice is a Failure. A single
// line becomes `where.line`, so a failure on it names it.
std::vector<unsigned> resolve_lines(const GpioChip& chip, const ChipInfo& ci, const Args& tokens, Where& where);

}  // namespace usbio::cli
