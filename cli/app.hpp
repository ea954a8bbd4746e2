// SPDX-License-Identifier: Apache-2.0
// What every subcommand receives, and how subcommands fail.
#pragma once

#include <cerrno>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "usbio/usbio.hpp"

namespace usbio::cli {

class AdapterSet;

// What a failing command was working on, as far as it got: --json error
// objects carry it.
struct Where {
    std::string adapter;          // the adapter's id ("sim0"), empty until resolved
    std::optional<long> address;  // I2C chip address
    std::optional<long> line;     // GPIO line offset
    std::optional<long> offset;   // EEPROM byte offset where the work stopped
    std::optional<long> done;     // EEPROM bytes done before it stopped
};

// A chip on an adapter's bus that --client binds: "0:pca9555@0x20".
struct ClientSpec {
    std::string text;     // as given, for messages
    std::string adapter;  // what names the adapter ("0", "sim0:1.0")
    std::string type;     // "pca9555"
    uint16_t addr = 0;
};

// What the global options ask for once the adapters are attached, before
// the command does anything with them.
struct RunSetup {
    std::vector<ClientSpec> clients;           // --client, in command-line order
    std::optional<uint64_t> sim_unplug_after;  // --sim-unplug-after N: USB transfers
    bool verbose = false;                      // -v
};

// Exit statuses, as i2c-tools and libgpiod use them.
inline constexpr int kExitFailure = 1;     // any error, bad command lines included
inline constexpr int kExitReadFailed = 2;  // i2cget: "Error: Read failed"

struct App {
    Context& ctx;  // may still be empty: use context() to reach the adapters
    AdapterSet& adapters;
    bool json = false;
    std::istream& in;   // answers to confirmation questions
    std::ostream& out;  // results
    std::ostream& err;  // questions, warnings and notes
    Where& where;
    RunSetup setup{};

    // The context with this run's adapters attached (real ones enumerated
    // once) and set up (--client, --sim-unplug-after). Commands that only
    // print help never get that far, so --help never touches USB.
    Context& context();
    // Attaches the adapters (with hotplug: watched until the run ends) and
    // applies the setup, once.
    void attach(bool hotplug);

    bool set_up = false;
};

using Args = std::vector<std::string>;

// A failure that ends the command: main prints "usbio: <what>" (and with
// --json an error object on stdout) and exits with `exit_code`. `code` is
// the errno it reports; `line` names the GPIO line when the failure is
// about one.
class Failure : public std::runtime_error {
public:
    explicit Failure(const std::string& what, std::error_code code = std::error_code(EINVAL, std::generic_category()),
                     int exit_code = kExitFailure)
        : std::runtime_error(what), code(code), exit_code(exit_code) {}
    Failure& at_line(long offset) {
        line = offset;
        return *this;
    }

    std::error_code code;
    int exit_code;
    std::optional<long> line;
};

// The user declined the confirmation question (or gave no answer): i2c-tools
// print "Aborting on user request." and exit 0.
class Aborted : public std::runtime_error {
public:
    Aborted() : std::runtime_error("Aborting on user request.") {}
};

// Bad command line: like Failure, and main adds a pointer to the help of
// the command being run.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The library's message (which already names the adapter, address or
// line), with "(ENODEV)" added for a gone device when it does not say so.
std::string message_of(const Error& e);

// Unwraps a library result or throws a Failure carrying message_of().

// `exit_code` is the status the command ends with on failure.
template <class T>
T check(Result<T> r, int exit_code = kExitFailure) {
    if (!r.ok()) throw Failure(message_of(r.error()), r.error().code, exit_code);
    return std::move(r).value();
}

inline void check(Result<void> r, int exit_code = kExitFailure) {
    if (!r.ok()) throw Failure(message_of(r.error()), r.error().code, exit_code);
}

}  // namespace usbio::cli
