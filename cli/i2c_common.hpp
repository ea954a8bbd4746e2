// SPDX-License-Identifier: Apache-2.0
// What the i2c commands share: i2c-tools' confirmation question, their
// common options and MODE letters.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app.hpp"
#include "options.hpp"

namespace usbio::cli {

// -y/--yes, -a/--all-addresses and -f/--force (accepted for i2c-tools
// compatibility: no kernel driver ever owns an address on these adapters),
// --stretch and --ack-check MODE.
void add_common_i2c_options(po::options_description& opts);

// --ack-check MODE (at_end, after_address, each_byte), or nullopt when not
// given. UsageError for another word: read it before touching an adapter.
std::optional<AckCheck> ack_check_option(const Parsed& parsed);

// The adapter's I2C bus as the common options set it up, before its first
// transfer: clock stretching on when --stretch was given, the ACK check mode
// `ack` when one was asked for (a Failure naming the adapter when it cannot
// be, so the adapter is the one to refuse a mode it lacks).
I2cBus open_i2c_bus(const Device& dev, const Parsed& parsed, std::optional<AckCheck> ack);

// Unless `yes`, prints i2c-tools' warning, the plan and "Continue? [Y/n]" on
// stderr and reads the answer from stdin. A "no", or end of input, ends the
// command with Aborted (exit status 0, as i2c-tools).
void confirm(App& app, bool yes, const std::vector<std::string>& plan, bool default_yes = true);
// The same question after another first line (`warning`).
void confirm(App& app, bool yes, std::string_view warning, const std::vector<std::string>& plan, bool default_yes);

// The question alone (the plan and "Continue?"), as i2cset asks it a second
// time with -m once it knows the old value.
void ask(App& app, const std::vector<std::string>& plan, bool default_yes = true);

// A MODE argument: one of `allowed`. The 'p' (PEC) suffix of i2c-tools is
// refused because no supported adapter computes PEC.
char parse_mode(std::string_view text, std::string_view allowed);

// "byte data", "word data", ... for plans and messages.
const char* mode_name(char mode);

// The adapter's display name, for plans.
std::string adapter_name(const Device& dev);

}  // namespace usbio::cli
