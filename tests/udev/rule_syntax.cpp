// SPDX-License-Identifier: Apache-2.0
#include "rule_syntax.hpp"

#include <cctype>
#include <set>
#include <sstream>

namespace usbio::test::udev {

namespace {

// Keys that only compare, and keys that assign (with the operators each
// takes), as systemd's udev(7) describes them.
const std::set<std::string> kMatchKeys = {
    "ACTION", "DEVPATH", "KERNEL", "KERNELS", "NAME",   "SYMLINK", "SUBSYSTEM", "SUBSYSTEMS", "DRIVER", "DRIVERS",
    "TAG",    "TAGS",    "TEST",   "PROGRAM", "RESULT", "ATTR",    "ATTRS",     "ENV",        "CONST",  "SYSCTL"};
const std::set<std::string> kAssignKeys = {"NAME", "SYMLINK", "OWNER", "GROUP", "MODE", "SECLABEL", "ATTR",   "SYSCTL",
                                           "ENV",  "TAG",     "RUN",   "LABEL", "GOTO", "IMPORT",   "OPTIONS"};
const std::set<std::string> kKeysWithAttr = {"ATTR",   "ATTRS",    "ENV", "TEST",  "CONST",
                                             "SYSCTL", "SECLABEL", "RUN", "IMPORT"};

bool is_match(const std::string& op) { return op == "==" || op == "!="; }

std::string where(int line) { return "line " + std::to_string(line) + ": "; }

// Parses one token at `pos`; advances `pos`.
bool parse_token(const std::string& s, std::size_t& pos, int line, Token& t, std::vector<std::string>& errors) {
    std::size_t p = pos;
    while (p < s.size() && (std::isupper(static_cast<unsigned char>(s[p])) || s[p] == '_')) ++p;
    t.key = s.substr(pos, p - pos);
    if (t.key.empty()) {
        errors.push_back(where(line) + "expected a key at \"" + s.substr(pos, 20) + "\"");
        return false;
    }
    if (p < s.size() && s[p] == '{') {
        const std::size_t close = s.find('}', p);
        if (close == std::string::npos) {
            errors.push_back(where(line) + t.key + ": unterminated {");
            return false;
        }
        t.attr = s.substr(p + 1, close - p - 1);
        if (t.attr.empty()) errors.push_back(where(line) + t.key + ": empty {}");
        if (!kKeysWithAttr.count(t.key)) errors.push_back(where(line) + t.key + " takes no {attribute}");
        p = close + 1;
    } else if (t.key == "ATTR" || t.key == "ATTRS" || t.key == "ENV") {
        errors.push_back(where(line) + t.key + " needs an {attribute}");
    }
    for (const char* op : {"==", "!=", "+=", "-=", ":=", "="}) {
        if (s.compare(p, std::char_traits<char>::length(op), op) == 0) {
            t.op = op;
            break;
        }
    }
    if (t.op.empty()) {
        errors.push_back(where(line) + t.key + ": expected an operator");
        return false;
    }
    p += t.op.size();
    if (p >= s.size() || s[p] != '"') {
        errors.push_back(where(line) + t.key + ": value must be in double quotes");
        return false;
    }
    ++p;
    std::string value;
    bool closed = false;
    for (; p < s.size(); ++p) {
        if (s[p] == '\\' && p + 1 < s.size()) {
            value += s[++p];
            continue;
        }
        if (s[p] == '"') {
            closed = true;
            ++p;
            break;
        }
        value += s[p];
    }
    if (!closed) {
        errors.push_back(where(line) + t.key + ": unterminated quote");
        return false;
    }
    t.value = value;
    if (is_match(t.op)) {
        if (!kMatchKeys.count(t.key)) errors.push_back(where(line) + t.key + " cannot be matched with " + t.op);
    } else if (!kAssignKeys.count(t.key)) {
        errors.push_back(where(line) + t.key + " cannot be assigned with " + t.op);
    } else if ((t.key == "MODE" || t.key == "OWNER" || t.key == "GROUP" || t.key == "LABEL" || t.key == "GOTO" ||
                t.key == "NAME") &&
               (t.op == "+=" || t.op == "-=")) {
        errors.push_back(where(line) + t.key + " takes = or :=, not " + t.op);
    }
    pos = p;
    return true;
}

}  // namespace

const Token* Rule::find(const std::string& key, const std::string& attr) const {
    for (const auto& t : tokens)
        if (t.key == key && t.attr == attr) return &t;
    return nullptr;
}

Parsed parse_rules(const std::string& text) {
    Parsed out;
    std::istringstream in(text);
    std::string raw;
    std::string pending;
    int line = 0;
    int start = 0;
    while (std::getline(in, raw)) {
        ++line;
        if (pending.empty()) start = line;
        if (!raw.empty() && raw.back() == '\\') {
            pending += raw.substr(0, raw.size() - 1);
            continue;
        }
        std::string s = pending + raw;
        pending.clear();
        std::size_t b = s.find_first_not_of(" \t");
        if (b == std::string::npos || s[b] == '#') continue;
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
        Rule rule;
        rule.line = start;
        std::size_t pos = b;
        bool ok = true;
        while (ok && pos < s.size()) {
            Token t;
            ok = parse_token(s, pos, start, t, out.errors);
            if (!ok) break;
            rule.tokens.push_back(t);
            if (pos >= s.size()) break;
            if (s[pos] != ',') {
                out.errors.push_back(where(start) + "expected \",\" after " + t.key);
                ok = false;
                break;
            }
            ++pos;
            while (pos < s.size() && s[pos] == ' ') ++pos;
            if (pos >= s.size()) out.errors.push_back(where(start) + "trailing comma");
        }
        if (ok) out.rules.push_back(std::move(rule));
    }
    if (!pending.empty()) out.errors.push_back(where(start) + "continuation at end of file");
    return out;
}

}  // namespace usbio::test::udev
