// SPDX-License-Identifier: Apache-2.0
// usbio config: the chip configuration of a simulated CP2112.
#include <string>

#include "cli_expect.hpp"
#include "json_value.hpp"

namespace usbio::test {
namespace {

bool has_line(const std::string& text, const std::string& line) {
    for (const auto& l : lines_of(text))
        if (l == line) return true;
    return false;
}

TEST(CliConfig, ListsEverySettingWithNotes) {
    auto r = run_usbio(sim({"config", "0"}));
    expect_success(r);
    EXPECT_TRUE(has_line(r.out, "i2c.bitrate           100000")) << r.out;
    EXPECT_TRUE(has_line(r.out, "gpio.7.function       gpio")) << r.out;
    EXPECT_TRUE(has_line(r.out, "chip.part_number      0x0C                            read-only")) << r.out;
    EXPECT_TRUE(
        has_line(r.out, "usb.vid               0x10C4                          one-time programmable, unlocked"))
        << r.out;
    EXPECT_NE(r.out.find("usb.serial            SIM"), std::string::npos) << r.out;
    for (const auto& l : lines_of(r.out)) EXPECT_NE(l.back(), ' ') << "trailing blank: '" << l << "'";
}

TEST(CliConfig, NamePrintsItsValue) {
    auto r = run_usbio(sim({"config", "0", "usb.pid", "i2c.retry_limit"}));
    expect_success(r);
    EXPECT_EQ(r.out, "0xEA90\n1\n");
}

TEST(CliConfig, SetsAndShowsTheNewValue) {
    auto r = run_usbio(sim({"config", "0", "i2c.bitrate=400000", "gpio.7.function=clock-out", "clock.divider=3",
                            "i2c.bitrate", "gpio.7.function", "clock.divider"}));
    expect_success(r);
    EXPECT_EQ(r.out, "400000\nclock-out\n3\n");
}

TEST(CliConfig, JsonGivesTheSettings) {
    auto r = run_usbio(sim({"--json", "config", "0", "gpio.0.drive=push-pull", "gpio.0.drive", "usb.serial"}));
    expect_success(r);
    const JsonValue v = parse_json(r.out);
    EXPECT_EQ(v.at("adapter").string, "sim0:1.0");
    const auto& settings = v.at("settings").array;
    ASSERT_EQ(settings.size(), 2u);
    EXPECT_EQ(settings[0].at("name").string, "gpio.0.drive");
    EXPECT_EQ(settings[0].at("value").string, "push-pull");
    EXPECT_FALSE(settings[0].at("permanent").boolean);
    EXPECT_EQ(settings[1].at("name").string, "usb.serial");
    EXPECT_TRUE(settings[1].at("permanent").boolean);
    EXPECT_FALSE(settings[1].at("locked").boolean);
}

TEST(CliConfig, PermanentFieldNeedsTheFlag) {
    auto r = run_usbio(sim({"config", "0", "usb.serial=NEW1"}));
    expect_failure(r, {"usb.serial is one-time programmable", "--permanent"});
}

TEST(CliConfig, PermanentWriteAsksAndDecliningAborts) {
    for (const std::string input : {"n\n", "\n", ""}) {
        auto r = run_usbio(sim({"config", "--permanent", "0", "usb.serial=NEW1"}), input);
        EXPECT_EQ(r.exit_code, 0) << describe(r);
        EXPECT_EQ(r.out, "");
        EXPECT_NE(r.err.find("WARNING! This writes one-time programmable memory"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("usb.serial = 'NEW1'"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("Continue? [y/N] usbio: Aborting on user request.\n"), std::string::npos) << r.err;
    }
}

TEST(CliConfig, PermanentWriteOnceThenLocked) {
    auto r = run_usbio(sim({"config", "--permanent", "0", "usb.serial=NEW1", "usb.serial", "usb.lock"}), "y\n");
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.out, "NEW1\nserial\n");
    // A second value in the same run finds the field programmed.
    auto again = run_usbio(sim({"config", "--permanent", "-y", "0", "usb.serial=NEW1", "usb.serial=NEW2"}));
    expect_failure(again, {"usb.serial", "is locked", "lock byte"});
}

TEST(CliConfig, JsonFailureIsAnErrorObject) {
    auto r = run_usbio(sim({"--json", "config", "0", "usb.serial=X"}));
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    const JsonValue v = parse_json(r.out);
    EXPECT_EQ(v.at("error").at("code").string, "EPERM");
    EXPECT_EQ(v.at("error").at("adapter").string, "sim0:1.0");
    auto locked = run_usbio(sim({"--json", "config", "--permanent", "-y", "0", "usb.lock=all", "usb.pid=0x1"}));
    EXPECT_EQ(parse_json(locked.out).at("error").at("code").string, "EACCES") << describe(locked);
}

TEST(CliConfig, BadNamesAndValues) {
    expect_failure(run_usbio(sim({"config", "0", "i2c.speed"})), {"no setting 'i2c.speed'", "i2c.bitrate"});
    expect_failure(run_usbio(sim({"config", "0", "gpio.7.function=tx-led"})),
                   {"gpio.7.function takes gpio, clock-out", "invalid value"});
    expect_failure(run_usbio(sim({"config", "0", "i2c.bitrate=fast"})), {"10000..400000"});
    expect_failure(run_usbio(sim({"config", "0", "chip.version=9"})), {"read-only"});
    expect_failure(run_usbio(sim({"config", "0", "=5"})), {"before '='"});
    expect_failure(run_usbio(sim({"config"})), {});
}

}  // namespace
}  // namespace usbio::test
