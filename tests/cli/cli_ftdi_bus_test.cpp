// SPDX-License-Identifier: Apache-2.0
// usbio i2c recover, --stretch, and --sim-state on the FTDI chips: what
// each says and its exit status.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_expect.hpp"

namespace usbio::test {
namespace {

namespace fs = std::filesystem;

Words on(const std::string& chip, const Words& rest) {
    Words w{"--no-usb", "--sim", chip};
    w.insert(w.end(), rest.begin(), rest.end());
    return w;
}

TEST(CliI2cRecover, IdleBusIsRecoveredWithExitZero) {
    auto r = run_usbio(on("ft232h", {"i2c", "recover", "0"}));
    expect_success(r);
    EXPECT_EQ(r.out, "ft232h-SIM0001 i2c: bus idle\n");
    r = run_usbio(on("ft2232h", {"--json", "i2c", "recover", "1"}));
    expect_success(r);
    EXPECT_EQ(r.out, "{\"adapter\":\"sim0:1.1\",\"recovered\":true}\n");
}

TEST(CliI2cRecover, Cp2112CannotAndExitsOne) {
    expect_failure(run_usbio(on("cp2112", {"i2c", "recover", "0"})),
                   {"cp2112 [serial SIM0001]", "cannot clock the bus by itself", "EOPNOTSUPP"});
    auto r = run_usbio(on("cp2112", {"--json", "i2c", "recover", "0"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("\"code\":\"EOPNOTSUPP\""), std::string::npos) << r.out;
}

TEST(CliI2cRecover, NeedsExactlyOneAdapter) {
    expect_failure(run_usbio(on("ft232h", {"i2c", "recover"})), {"usbio i2c recover --help"});
    expect_failure(run_usbio(on("ft232h", {"i2c", "recover", "0", "1"})), {"usbio i2c recover --help"});
    expect_failure(run_usbio(on("ft232h", {"i2c", "recover", "7"})), {"7"});
}

TEST(CliStretch, OnTheChipsThatCanSwitchIt) {
    for (const char* chip : {"ft232h", "ft2232h"}) {
        auto r = run_usbio(on(chip, {"i2c", "get", "--stretch", "-y", "0", "0x48", "0x01"}));
        expect_success(r);
        EXPECT_EQ(r.out, "0x00\n") << chip;
        expect_success(run_usbio(on(chip, {"i2c", "set", "--stretch", "-y", "0", "0x48", "0x01", "0x02"})));
        expect_success(run_usbio(on(chip, {"i2c", "detect", "--stretch", "-y", "0"})));
        expect_success(run_usbio(on(chip, {"i2c", "dump", "--stretch", "-y", "-r", "0-3", "0", "0x48", "b"})));
        expect_success(run_usbio(on(chip, {"i2c", "transfer", "--stretch", "-y", "0", "w1@0x48", "0", "r2"})));
    }
}

TEST(CliStretch, RefusedWhereItCannotBeSwitched) {
    expect_failure(run_usbio(on("ft4232h", {"i2c", "get", "--stretch", "-y", "0", "0x48", "0x01"})),
                   {"ftdi [serial SIM0001]", "clock stretching", "EOPNOTSUPP"});
    expect_failure(run_usbio(on("cp2112", {"i2c", "transfer", "--stretch", "-y", "0", "w1@0x48", "0"})),
                   {"cp2112 [serial SIM0001]", "clock stretching", "EOPNOTSUPP"});
}

class CliFtdiState : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "usbio-ftdi-state-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir = pattern;
        file = (dir / "state.txt").string();
    }
    void TearDown() override { fs::remove_all(dir); }

    CliRun run(const std::string& chip, const Words& rest) const {
        Words w{"--no-usb", "--sim", chip, "--sim-state", file};
        w.insert(w.end(), rest.begin(), rest.end());
        return run_usbio(w);
    }
    std::string ok(const std::string& chip, const Words& rest) const {
        auto r = run(chip, rest);
        expect_success(r);
        return r.out;
    }
    std::string contents() const {
        std::ifstream in(file, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    // Replaces the first `from` after `after` in the file.
    void edit(const std::string& after, const std::string& from, const std::string& to) const {
        std::string text = contents();
        const auto at = text.find(from, text.find(after));
        ASSERT_NE(at, std::string::npos) << text;
        text.replace(at, from.size(), to);
        std::ofstream(file, std::ios::binary) << text;
    }

    fs::path dir;
    std::string file;
};

TEST_F(CliFtdiState, EachPortsTargetsKeepTheirContents) {
    ok("ft2232h", {"i2c", "set", "-y", "1", "0x48", "0x01", "0x04"});
    ok("ft2232h", {"i2c", "transfer", "-y", "0", "w3@0x50", "0x00", "0x10", "0xab"});
    EXPECT_EQ(ok("ft2232h", {"i2c", "get", "-y", "1", "0x48", "0x01"}), "0x04\n");
    EXPECT_EQ(ok("ft2232h", {"i2c", "get", "-y", "0", "0x48", "0x01"}), "0x00\n") << "port A's sensor is its own";
    EXPECT_EQ(ok("ft2232h", {"i2c", "transfer", "-y", "0", "w2@0x50", "0x00", "0x10", "r1"}), "0xab\n");
    EXPECT_NE(contents().find("\neeprom-row A 0x50 0x0010 ab ff"), std::string::npos) << contents();
    EXPECT_NE(contents().find("\nlm75 B 0x48 "), std::string::npos) << contents();
}

TEST_F(CliFtdiState, GpioPinsAndTheWorldsLevelsAreKept) {
    // ADBUS3 driven low: the pin byte keeps it (bit 3 an output at 0) for
    // the next program that opens the port.
    ok("ft232h", {"gpio", "set", "0", "ADBUS3=0"});
    EXPECT_NE(contents().find("pins A mpsse=1 low-value=0x03 low-dir=0x0b"), std::string::npos) << contents();
    EXPECT_EQ(ok("ft232h", {"gpio", "get", "0", "ACBUS1"}), "1\n");
    // Something outside pulls ACBUS1 low: every later command sees it.
    edit("outside A", "acbus=--------", "acbus=------0-");
    EXPECT_EQ(ok("ft232h", {"gpio", "get", "0", "ACBUS1", "ACBUS0"}), "0 1\n");
    EXPECT_EQ(ok("ft232h", {"gpio", "get", "0", "ACBUS1"}), "0\n");
    EXPECT_NE(contents().find("outside A adbus=-------- acbus=------0-\n"), std::string::npos) << contents();
}

TEST_F(CliFtdiState, AStuckBusStaysStuckAndRecoveryFailsWithExitOne) {
    ok("ft232h", {"i2c", "recover", "0"});
    edit("i2c-bus A", "stuck=0", "stuck=1");
    expect_failure(run("ft232h", {"i2c", "recover", "0"}), {"ftdi [serial SIM0001]", "SDA is still held low", "EIO"});
    expect_failure(run("ft232h", {"i2c", "transfer", "-y", "0", "w1@0x48", "0"}), {"0x48"});
    edit("i2c-bus A", "stuck=1", "stuck=0");
    expect_success(run("ft232h", {"i2c", "recover", "0"}));
}

TEST_F(CliFtdiState, BadRecordsAreRefusedNamingTheLine) {
    ok("ft4232h", {"gpio", "get", "0", "0"});
    edit("outside B", "adbus=--------", "adbus=---x----");
    auto r = run("ft4232h", {"gpio", "get", "0", "0"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("outside B"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("line "), std::string::npos) << r.err;
}

}  // namespace
}  // namespace usbio::test
