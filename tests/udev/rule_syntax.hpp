// SPDX-License-Identifier: Apache-2.0
// A small checker for udev rules files, for systems whose udevadm has no
// `verify` (systemd < 254, as on Debian bookworm): keys, operators, quoting,
// and the separators between them.
#pragma once

#include <string>
#include <vector>

namespace usbio::test::udev {

struct Token {
    std::string key;   // "ATTR"
    std::string attr;  // "idVendor" for ATTR{idVendor}, else ""
    std::string op;    // "==", "!=", "=", "+=", "-=", ":="
    std::string value;
};

struct Rule {
    int line = 0;
    std::vector<Token> tokens;

    // The value of the first token with this key (and attribute) and op.
    const Token* find(const std::string& key, const std::string& attr = "") const;
};

struct Parsed {
    std::vector<Rule> rules;
    std::vector<std::string> errors;  // "line N: what is wrong"
};

// Parses rules text (comments, blank lines and backslash continuations
// allowed) and reports every problem found.
Parsed parse_rules(const std::string& text);

}  // namespace usbio::test::udev
