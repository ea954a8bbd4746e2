// SPDX-License-Identifier: Apache-2.0
// Every command on each simulated FTDI chip (FT232H: one adapter; FT2232H
// and FT4232H: one per MPSSE port), and what only FTDI adapters do: bus
// recovery, clock stretching (--stretch) and their saved state.

#include "cli_expect.hpp"

namespace usbio::test {
namespace {

struct Chip {
    std::string name;  // --sim CHIP
    std::string pid;   // "0403:6014"
    unsigned ports;    // adapters it makes
    unsigned lines;    // GPIO lines per port
};

void PrintTo(const Chip& c, std::ostream* os) { *os << c.name; }

class CliEveryCommand : public ::testing::TestWithParam<Chip> {
protected:
    Words on_chip(const Words& rest) const {
        Words w{"--no-usb", "--sim", GetParam().name};
        w.insert(w.end(), rest.begin(), rest.end());
        return w;
    }
    // The command succeeds; its output is returned.
    std::string ok(const Words& rest) const {
        auto r = run_usbio(on_chip(rest));
        expect_success(r);
        return r.out;
    }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_P(CliEveryCommand, ListAndWatch) {
    const Chip& c = GetParam();
    const std::string list = ok({"list"});
    EXPECT_EQ(lines_of(list).size(), 1 + c.ports) << list;
    EXPECT_TRUE(has(list, c.pid)) << list;
    const std::string watch = ok({"watch", "-n", std::to_string(c.ports)});
    EXPECT_EQ(lines_of(watch).size(), c.ports) << watch;
    EXPECT_TRUE(has(watch, "arrived ftdi " + c.pid)) << watch;
}

TEST_P(CliEveryCommand, Gpio) {
    const Chip& c = GetParam();
    const std::string detect = ok({"gpio", "detect"});
    EXPECT_EQ(lines_of(detect).size(), c.ports) << detect;
    EXPECT_TRUE(has(detect, "(" + std::to_string(c.lines) + " lines)")) << detect;
    const std::string info = ok({"gpio", "info", "0"});
    EXPECT_EQ(lines_of(info).size(), 1 + c.lines) << info;
    EXPECT_TRUE(has(info, "\"ADBUS7\"")) << info;
    EXPECT_EQ(ok({"gpio", "get", "0", "ADBUS3", "ADBUS4"}), "1 1\n");
    EXPECT_EQ(ok({"gpio", "set", "0", "ADBUS5=0"}), "");
    EXPECT_EQ(ok({"gpio", "mon", "-t", "0.05", "0", "ADBUS6"}), "") << "no edge on a line nobody moves";
    EXPECT_EQ(ok({"gpio", "find", "ADBUS5"}), GetParam().name + "-SIM0001" + (c.ports > 1 ? "-A" : "") + " 2\n");
}

TEST_P(CliEveryCommand, I2c) {
    const Chip& c = GetParam();
    const std::string scan = ok({"i2c", "detect", "-y", "0"});
    EXPECT_TRUE(has(scan, "40: -- -- -- -- -- -- -- -- 48")) << scan;
    EXPECT_TRUE(has(scan, "50: 50 --")) << scan;
    const std::string buses = ok({"i2c", "detect", "-l"});
    EXPECT_EQ(lines_of(buses).size(), c.ports) << buses;
    EXPECT_TRUE(has(ok({"i2c", "detect", "-F", "0"}), "SMBus Quick Command              yes"));
    EXPECT_EQ(ok({"i2c", "set", "-y", "0", "0x48", "0x01", "0x02"}), "");
    // Each run is new hardware (no --sim-state): the sensor's defaults.
    EXPECT_EQ(ok({"i2c", "get", "-y", "0", "0x48", "0x01"}), "0x00\n");
    const std::string dump = ok({"i2c", "dump", "-y", "-r", "0x00-0x03", "0", "0x48", "b"});
    EXPECT_TRUE(has(dump, "00: 19 00 4b 50")) << dump;
    // The sensor's configuration register and its high limit (80 degC).
    EXPECT_EQ(ok({"i2c", "transfer", "-y", "0", "w1@0x48", "0x01", "r1", "w1", "0x03", "r2"}), "0x00\n0x50 0x00\n");
    EXPECT_EQ(ok({"i2c", "recover", "0"}),
              GetParam().name + "-SIM0001" + (c.ports > 1 ? "-A" : "") + " i2c: bus idle\n");
}

TEST_P(CliEveryCommand, ConfigHasNoSettings) {
    EXPECT_EQ(ok({"config", "0"}), "");
    EXPECT_EQ(ok({"--json", "config", "0"}), "{\"adapter\":\"sim0:1.0\",\"settings\":[]}\n");
}

INSTANTIATE_TEST_SUITE_P(Ftdi, CliEveryCommand,
                         ::testing::Values(Chip{"ft232h", "0403:6014", 1, 13}, Chip{"ft2232h", "0403:6010", 2, 13},
                                           Chip{"ft4232h", "0403:6011", 2, 5}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace usbio::test
