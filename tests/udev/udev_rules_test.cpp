// SPDX-License-Identifier: Apache-2.0
// 70-usbio.rules as generated from the driver table (udev/generate_rules.cpp):
// one rule per VID:PID of the table, none world-writable, well-formed
// (udevadm verify where systemd has it, the checker in rule_syntax.cpp
// everywhere), and numbered where it works.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "rule_syntax.hpp"
#include "usbio/usb.hpp"

namespace usbio::test::udev {
namespace {

const std::string kRulesPath = USBIO_UDEV_RULES;

std::string read_rules() {
    std::ifstream f(kRulesPath);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::string hex4(uint16_t v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04x", v);
    return buf;
}

// The USB device rules: VID:PID -> the rule.
std::map<std::string, Rule> device_rules(const Parsed& p) {
    std::map<std::string, Rule> out;
    for (const auto& r : p.rules) {
        const Token* vid = r.find("ATTR", "idVendor");
        const Token* pid = r.find("ATTR", "idProduct");
        if (vid && pid) out[vid->value + ":" + pid->value] = r;
    }
    return out;
}

TEST(UdevRules, FileIsWellFormed) {
    const std::string text = read_rules();
    ASSERT_FALSE(text.empty()) << "cannot read " << kRulesPath;
    const Parsed p = parse_rules(text);
    EXPECT_EQ(p.errors, std::vector<std::string>{});
    EXPECT_FALSE(p.rules.empty());
}

TEST(UdevRules, EveryChipInTheDriverTableHasExactlyItsRule) {
    const auto rules = device_rules(parse_rules(read_rules()));
    std::set<std::string> table;
    for (const auto& c : usb::supported_chips()) {
        const std::string id = hex4(c.vid) + ":" + hex4(c.pid);
        table.insert(id);
        EXPECT_TRUE(rules.count(id)) << c.chip << " (" << id << ") has no udev rule";
    }
    for (const auto& [id, rule] : rules)
        EXPECT_TRUE(table.count(id)) << "rule for " << id << " is not in the driver table";
}

TEST(UdevRules, RulesMatchOnlyUsbDeviceNodesAndGrantSeatAndPlugdev) {
    const auto rules = device_rules(parse_rules(read_rules()));
    ASSERT_FALSE(rules.empty());
    for (const auto& [id, r] : rules) {
        const Token* subsystem = r.find("SUBSYSTEM");
        const Token* devtype = r.find("ENV", "DEVTYPE");
        ASSERT_TRUE(subsystem && devtype) << "line " << r.line;
        EXPECT_EQ(subsystem->op + subsystem->value, "==usb") << "line " << r.line;
        EXPECT_EQ(devtype->op + devtype->value, "==usb_device") << "line " << r.line;
        EXPECT_EQ(r.find("ATTR", "idVendor")->op, "==");
        EXPECT_EQ(r.find("ATTR", "idProduct")->op, "==");
        // IDs as sysfs spells them: four lower-case hex digits.
        for (char ch : id) EXPECT_TRUE(ch == ':' || std::isdigit(ch) || (ch >= 'a' && ch <= 'f')) << id;
        const Token* tag = r.find("TAG");
        ASSERT_TRUE(tag) << "line " << r.line;
        EXPECT_EQ(tag->op + tag->value, "+=uaccess");
        const Token* group = r.find("GROUP");
        ASSERT_TRUE(group) << "line " << r.line;
        EXPECT_EQ(group->value, "plugdev");
        EXPECT_TRUE(r.find("MODE")) << "line " << r.line;
    }
}

TEST(UdevRules, NothingIsWorldWritable) {
    const Parsed p = parse_rules(read_rules());
    int modes = 0;
    for (const auto& r : p.rules) {
        for (const auto& t : r.tokens) {
            if (t.key != "MODE") continue;
            ++modes;
            char* end = nullptr;
            const long mode = std::strtol(t.value.c_str(), &end, 8);
            ASSERT_TRUE(end && *end == '\0' && !t.value.empty()) << "line " << r.line << ": MODE not octal";
            EXPECT_EQ(mode & 02, 0) << "line " << r.line << ": MODE " << t.value << " is world-writable";
            EXPECT_EQ(mode & 07000, 0) << "line " << r.line << ": MODE " << t.value << " sets special bits";
        }
    }
    EXPECT_GT(modes, 0);
}

TEST(UdevRules, NumberedAfterTheDefaultsAndBeforeSeatLate) {
    const std::string name = kRulesPath.substr(kRulesPath.find_last_of('/') + 1);
    const int n = std::atoi(name.c_str());
    EXPECT_GT(n, 50) << name << " would be overridden by 50-udev-default.rules (MODE=0664)";
    EXPECT_LT(n, 73) << name << " must sort before 73-seat-late.rules for TAG+=\"uaccess\" to apply";
}

TEST(UdevRules, UdevadmVerifyWhereAvailable) {
    if (std::system("udevadm verify --help >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "this udevadm has no 'verify' (systemd < 254); the syntax checker above stands in";
    const std::string cmd = "udevadm verify --resolve-names=never --no-style '" + kRulesPath + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

// The checker itself: it must catch what a broken rules file looks like.
TEST(UdevRuleChecker, CatchesBrokenRules) {
    const std::vector<std::string> bad = {
        "SUBSYSTEM=\"usb\", MODE=\"0660\"",    // assignment to a match-only key
        "MODE==\"0660\"",                      // comparison of an assign-only key
        "SUBSYSTEM==usb",                      // unquoted
        "SUBSYSTEM==\"usb, MODE=\"0660\"",     // broken quoting
        "SUBSYSTEM==\"usb\" MODE=\"0660\"",    // missing comma
        "ATTR==\"10c4\"",                      // ATTR without {attribute}
        "BOGUS==\"x\"",                        // unknown key
        "SUBSYSTEM==\"usb\", MODE+=\"0660\"",  // MODE does not add
        "SUBSYSTEM==\"usb\",",                 // trailing comma
    };
    for (const auto& line : bad) EXPECT_FALSE(parse_rules(line).errors.empty()) << line;
    const Parsed good = parse_rules(
        "# comment\n\nSUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", \\\n"
        "  ATTR{idVendor}==\"10c4\", MODE:=\"0660\", TAG+=\"uaccess\"\n");
    EXPECT_EQ(good.errors, std::vector<std::string>{});
    ASSERT_EQ(good.rules.size(), 1u);
    EXPECT_EQ(good.rules[0].tokens.size(), 5u);
    EXPECT_EQ(good.rules[0].find("ATTR", "idVendor")->value, "10c4");
}

}  // namespace
}  // namespace usbio::test::udev
