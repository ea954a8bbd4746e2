// SPDX-License-Identifier: Apache-2.0
// Saved state of the simulated hardware (common/sim_state.hpp): the CP2112
// model and its targets round-trip through the text, and a bad text is
// refused naming its line, with nothing changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "common/sim_state.hpp"
#include "cp2112_host.hpp"
#include "models/cp2112_model.hpp"

namespace usbio::models::test {
namespace {

namespace state = drivers::sim_state;

std::string save(const Cp2112Model& m) {
    state::Writer out;
    m.save_state(out);
    return state::frame("cp2112", out);
}

// Loads `text` into `m`; the error message, or "" on success.
std::string load(Cp2112Model& m, const std::string& text) {
    auto in = state::unframe(text, "cp2112");
    if (!in) return in.error().message;
    try {
        m.load_state(*in);
    } catch (const state::Bad& e) {
        return e.what();
    }
    return "";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

// A model with GPIO, SMBus configuration, EEPROM and sensor all away from
// their defaults, set as a host and the world would.
void change_everything(Cp2112Model& m) {
    Host host(m);
    // GPIO.0 and .3 outputs, .3 push-pull, clock divider 5.
    ASSERT_TRUE(host.set_feature({0x02, 0x09, 0x08, 0x00, 0x05}));
    ASSERT_TRUE(host.set_feature({0x04, 0x00, 0x08}));  // GPIO.3 low
    m.set_input_level(6, 0);
    cp2112::SmbusConfig c;
    c.clock_hz = 400000;
    c.retry_limit = 7;
    c.read_timeout_ms = 50;
    c.scl_low_timeout = true;
    const auto report = c.encode();
    ASSERT_TRUE(host.set_feature(std::vector<uint8_t>(report.begin(), report.end())));
    const std::vector<uint8_t> bytes = {0xAB, 0x00, 0x12};
    m.eeprom()->set_contents(0x10, bytes);
    m.eeprom()->set_contents(0xFFF, std::vector<uint8_t>{0x5A});
    m.set_temperature_millicelsius(-12500);
}

TEST(SimState, Cp2112RoundTripsEverything) {
    Cp2112Model a;
    change_everything(a);
    cp2112::PromFields prom = a.prom();
    prom.lock = 0x5E;
    prom.pid = 0x1234;
    prom.serial = "A 100%=\x01";  // every byte that needs %XX
    a.set_prom(prom);
    const std::string text = save(a);

    Cp2112Model b;
    ASSERT_EQ(load(b, text), "");
    EXPECT_EQ(save(b), text);
    Host host(b);
    EXPECT_EQ(host.get_feature(0x02, 5), (std::vector<uint8_t>{0x02, 0x09, 0x08, 0x00, 0x05}));
    EXPECT_EQ(b.pin_level(3), 0);
    EXPECT_EQ(b.pin_level(0), 1);  // open-drain output at latch 1: the pull-up
    EXPECT_EQ(b.pin_level(6), 0);  // the world's level came along
    EXPECT_EQ(b.smbus_config().clock_hz, 400000u);
    EXPECT_EQ(b.smbus_config().retry_limit, 7u);
    EXPECT_EQ(b.smbus_config().read_timeout_ms, 50u);
    EXPECT_TRUE(b.smbus_config().scl_low_timeout);
    EXPECT_EQ(b.eeprom_contents(), a.eeprom_contents());
    EXPECT_EQ(b.sensor()->temperature_millicelsius(), -12500);
    EXPECT_EQ(b.prom(), prom);
}

TEST(SimState, TextIsReadable) {
    Cp2112Model a;
    change_everything(a);
    const std::string text = save(a);
    EXPECT_EQ(text.rfind("usbio-sim-state 1\nchip cp2112\n", 0), 0u) << text;
    EXPECT_NE(text.find("gpio 3 direction=output drive=push-pull latch=0 outside=1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("smbus bit-rate=400000 "), std::string::npos) << text;
    EXPECT_NE(text.find("eeprom-row 0x50 0x0010 ab 00 12 ff"), std::string::npos) << text;
    EXPECT_NE(text.find("eeprom-row 0x50 0x0ff0 ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff 5a\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("lm75 0x48 temperature-mc=-12500 "), std::string::npos) << text;
    EXPECT_NE(text.find("\nprom lock=0xff vid=0x10c4 pid=0xea90 "), std::string::npos) << text;
    EXPECT_NE(text.find(" product=CP2112%20HID%20USB-to-SMBus%20Bridge "), std::string::npos) << text;
    // Erased rows are left out: two rows of 256.
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 23) << text;
    EXPECT_EQ(text.substr(text.size() - 4), "end\n");
}

TEST(SimState, EepromPointerSurvivesForCurrentAddressReads) {
    Cp2112Model a;
    a.eeprom()->set_contents(0x123, std::vector<uint8_t>{0x77});
    Host ha(a);
    ha.write(0x50, {0x01, 0x23});  // sets the address counter only
    EXPECT_EQ(ha.wait_done().s0, 0x02);

    Cp2112Model b;
    ASSERT_EQ(load(b, save(a)), "");
    Host hb(b);
    hb.read(0x50, 1);
    EXPECT_EQ(hb.wait_done().s0, 0x02);
    EXPECT_EQ(hb.fetch(1), std::vector<uint8_t>{0x77});
}

struct BadCase {
    const char* from;
    const char* to;
    const char* message;  // the complaint, after "line N: "
    unsigned line;
};

class SimStateBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(SimStateBad, RefusedNamingTheLineAndNothingChanges) {
    Cp2112Model a;
    change_everything(a);
    const std::string good = save(a);
    const std::string bad = replaced(good, GetParam().from, GetParam().to);

    Cp2112Model b;
    const std::string before = save(b);
    const std::string message = load(b, bad);
    EXPECT_EQ(message.rfind("line " + std::to_string(GetParam().line) + ": ", 0), 0u) << message;
    EXPECT_NE(message.find(GetParam().message), std::string::npos) << message;
    EXPECT_EQ(save(b), before) << "a refused state changed the hardware";
}

// Lines of the good text: 1 version, 2 chip, 3 comment, 4..11 gpio 0..7,
// 12 gpio-functions, 13 comment, 14 smbus, 15 comment, 16 prom, 17 comment,
// 18 eeprom, 19..20 rows, 21 comment, 22 lm75, 23 end.
INSTANTIATE_TEST_SUITE_P(
    Cases, SimStateBad,
    ::testing::Values(BadCase{"usbio-sim-state 1", "usbio-sim-state 2", "version 2; this usbio reads version 1", 1},
                      BadCase{"usbio-sim-state 1", "hello", "not a usbio simulated-state text", 1},
                      BadCase{"chip cp2112", "chip ft232h", "the state of a ft232h, not of a cp2112", 2},
                      BadCase{"end\n", "", "no 'end' line", 22},
                      BadCase{"\nlm75", "\nlm7", "the state ends without a 'lm75 0x48' record", 23},
                      BadCase{"\nend", "\nbogus 1\nend", "bogus 1: not a record of this chip's state", 23},
                      BadCase{"gpio 3 direction=output", "gpio 3 direction=outptu", "expected input or output", 7},
                      BadCase{"latch=0", "latch=2", "latch=2 is above 1", 7},
                      BadCase{"bit-rate=400000", "bit-rate=fast", "bit-rate=fast is not a number", 14},
                      BadCase{"gpio 5 ", "gpio 3 ", "a second 'gpio 3' record (the first is on line 7)", 9},
                      BadCase{"ab 00 12", "ab 0 12", "'0' is not a byte in hex", 19},
                      BadCase{"0x0010 ab 00 12 ff", "0x0010 ab 00 12", "a row holds 16 bytes", 19},
                      BadCase{"size=4096", "size=256", "size=256, but this EEPROM holds 4096 bytes", 18},
                      BadCase{"temperature-mc=-12500", "temperature-mc=300000", "expected millidegrees C", 22},
                      BadCase{"\nsmbus", "\n#smbus", "the state ends without a 'smbus' record", 23},
                      BadCase{"serial=", "serial=0123456789012345678901234567890",
                              "serial is longer than the chip's 30", 16},
                      BadCase{"product=", "product=%g", "'%' needs two hex digits after it", 16},
                      BadCase{"\nprom", "\nprom lock=0x00\nprom", "a second prom record", 17}));

TEST(SimState, EmptyTextIsRefused) {
    Cp2112Model m;
    EXPECT_EQ(load(m, "").rfind("line 1: empty", 0), 0u) << load(m, "");
}

TEST(SimState, CommentsAndBlankLinesAreIgnored) {
    Cp2112Model a;
    change_everything(a);
    std::string text = replaced(save(a), "chip cp2112\n", "chip cp2112\n\n   # a note\n\t\n");
    Cp2112Model b;
    ASSERT_EQ(load(b, text), "");
    EXPECT_EQ(b.eeprom_contents(), a.eeprom_contents());
}

}  // namespace
}  // namespace usbio::models::test

namespace usbio::models::test {
namespace {

TEST(SimState, EveryEepromPartRoundTrips) {
    for (const char* part : {"24c01", "24c16", "m24c02", "24c512"}) {
        SCOPED_TRACE(part);
        Cp2112Options o;
        o.eeprom_part = *eeprom_24cxx_part(part);
        Cp2112Model a(o);
        std::vector<uint8_t> bytes(40);
        for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = uint8_t(i * 3 + 1);
        a.eeprom()->set_contents(a.eeprom()->size() - bytes.size(), bytes);
        Cp2112Model b(o);
        ASSERT_EQ(load(b, save(a)), "");
        EXPECT_EQ(b.eeprom()->contents(), a.eeprom()->contents());
        // A state saved with another part size is refused.
        Cp2112Model other;
        EXPECT_NE(load(other, save(a)).find("size="), std::string::npos);
    }
}

}  // namespace
}  // namespace usbio::models::test
