// SPDX-License-Identifier: Apache-2.0
// What every subcommand receives, and how subcommands fail.
#pragma once

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

#include "usbio/usbio.hpp"

namespace usbio::cli {

class AdapterSet;

struct App {
    Context& ctx;  // may still be empty: use context() to reach the adapters
    AdapterSet& adapters;
    bool json = false;
    std::istream& in;   // answers to confirmation questions
    std::ostream& out;  // results
    std::ostream& err;  // questions, warnings and notes

    // The context with this run's adapters attached (real ones enumerated
    // once). Commands that only print help never get that far, so --help
    // never touches USB.
    Context& context();
};

using Args = std::vector<std::string>;

// A failure that ends the command: main prints "usbio: <what>" and exits 1.
class Failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Bad command line: like Failure, and main adds a pointer to the help of
// the command being run.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Unwraps a library result or throws a Failure carrying the library's message
// (which already names the adapter, address or line).
std::string message_of(const Error& e);

template <class T>
T check(Result<T> r) {
    if (!r.ok()) throw Failure(message_of(r.error()));
    return std::move(r).value();
}

inline void check(Result<void> r) {
    if (!r.ok()) throw Failure(message_of(r.error()));
}

}  // namespace usbio::cli
