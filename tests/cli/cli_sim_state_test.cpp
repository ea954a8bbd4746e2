// SPDX-License-Identifier: Apache-2.0
// usbio --sim-state FILE: the simulated hardware kept between commands, the
// file's lock, and bad files refused with the file left as it was.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_expect.hpp"
#include "temp_dir.hpp"

namespace usbio::test {
namespace {

namespace fs = std::filesystem;

class CliSimState : public ::testing::Test {
protected:
    // `usbio --no-usb --sim cp2112 --sim-state FILE rest...`
    Words with_state(const Words& rest) const {
        Words w = sim({"--sim-state", file});
        w.insert(w.end(), rest.begin(), rest.end());
        return w;
    }
    CliRun ok(const Words& rest) const {
        auto r = run_usbio(with_state(rest));
        expect_success(r);
        return r;
    }
    std::string contents() const {
        std::ifstream in(file, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    void write(const std::string& text) const { std::ofstream(file, std::ios::binary) << text; }
    std::size_t entries() const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
    }

    TempDir tmp{"usbio-sim-state"};
    fs::path dir = tmp.path();
    std::string file = tmp.file("state.txt");
};

TEST_F(CliSimState, I2cSetThenGetShowsTheValue) {
    // LM75 configuration register, SMBus byte data as i2cset/i2cget use it.
    ok({"i2c", "set", "-y", "0", "0x48", "0x01", "0x02"});
    EXPECT_EQ(ok({"i2c", "get", "-y", "0", "0x48", "0x01"}).out, "0x02\n");
    // The 24C32 takes two address bytes: an I2C block write puts 0xab at
    // 0x0010; setting the address counter, then a current-address read,
    // gets it back in a later command.
    ok({"i2c", "set", "-y", "0", "0x50", "0x00", "0x10", "0xab", "i"});
    ok({"i2c", "set", "-y", "0", "0x50", "0x00", "0x10"});
    EXPECT_EQ(ok({"i2c", "get", "-y", "0", "0x50"}).out, "0xab\n");
    EXPECT_NE(contents().find("eeprom-row 0x50 0x0010 ab ff"), std::string::npos) << contents();
    // Without the file every command starts from new hardware.
    auto fresh = run_usbio(sim({"i2c", "get", "-y", "0", "0x48", "0x01"}));
    expect_success(fresh);
    EXPECT_EQ(fresh.out, "0x00\n");
}

TEST_F(CliSimState, OneTimeProgrammedFieldsStayProgrammed) {
    ok({"config", "--permanent", "-y", "0", "usb.serial=NEW1", "usb.manufacturer=Acme 100%=ok"});
    EXPECT_NE(contents().find("manufacturer=Acme%20100%25%3dok"), std::string::npos) << contents();
    EXPECT_EQ(ok({"config", "0", "usb.serial", "usb.manufacturer"}).out, "NEW1\nAcme 100%=ok\n");
    // Programmed once, in an earlier command: the chip refuses a second time.
    expect_failure(run_usbio(with_state({"config", "--permanent", "-y", "0", "usb.serial=NEW2"})),
                   {"usb.serial", "is locked"});
    EXPECT_EQ(ok({"config", "0", "usb.serial"}).out, "NEW1\n");
}

TEST_F(CliSimState, GpioSetLeavesTheLineDrivenForLaterCommands) {
    ok({"gpio", "set", "0", "3=0"});
    EXPECT_NE(contents().find("gpio 3 direction=output drive=push-pull latch=0 outside=1\n"), std::string::npos)
        << contents();
    auto info = ok({"gpio", "info", "0"});
    EXPECT_NE(info.out.find("\"GPIO.3\"       unused  output"), std::string::npos) << info.out;
    ok({"gpio", "set", "-D", "open-drain", "0", "GPIO.4=1"});
    info = ok({"gpio", "info", "0"});
    EXPECT_NE(info.out.find("\"GPIO.3\"       unused  output"), std::string::npos) << info.out;
    EXPECT_NE(info.out.find("\"GPIO.4\"       unused  output  active-high [open-drain]"), std::string::npos)
        << info.out;
}

TEST_F(CliSimState, TheWorldsLevelsAreInTheFile) {
    ok({"gpio", "get", "0", "2"});
    std::string text = contents();
    const auto line = text.find("\ngpio 2 ");
    const auto level = text.find("outside=1\n", line);
    ASSERT_NE(line, std::string::npos) << text;
    ASSERT_NE(level, std::string::npos) << text;
    text.replace(level, 9, "outside=0");  // something outside pulls GPIO.2 low
    write(text);
    EXPECT_EQ(ok({"gpio", "get", "0", "2"}).out, "0\n");
    EXPECT_EQ(ok({"gpio", "get", "0", "1", "2"}).out, "1 0\n");
}

TEST_F(CliSimState, MissingFileIsNewHardwareAndIsCreated) {
    ASSERT_FALSE(fs::exists(file));
    EXPECT_EQ(ok({"i2c", "get", "-y", "0", "0x48", "0x01"}).out, "0x00\n");
    const std::string text = contents();
    EXPECT_EQ(text.rfind("# ", 0), 0u) << text;
    EXPECT_NE(text.find("\nusbio-sim-state 1\nchip cp2112\n"), std::string::npos) << text;
    EXPECT_EQ(text.substr(text.size() - 4), "end\n");
    EXPECT_EQ(entries(), 1u) << "a temporary file was left behind";
}

TEST_F(CliSimState, SaveKeepsTheFilesPermissions) {
    ok({"gpio", "get", "0", "0"});
    ASSERT_EQ(::chmod(file.c_str(), 0640), 0);
    ok({"gpio", "set", "0", "0=1"});
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(CliSimState, HelpTouchesNoFile) {
    auto r = run_usbio(with_state({"i2c", "get", "--help"}));
    expect_success(r);
    EXPECT_FALSE(fs::exists(file));
}

TEST_F(CliSimState, EachSimAdapterHasItsOwnState) {
    auto two = [&](const Words& rest) {
        Words w{"--no-usb", "--sim", "cp2112,cp2112", "--sim-state", file};
        w.insert(w.end(), rest.begin(), rest.end());
        auto r = run_usbio(w);
        expect_success(r);
        return r.out;
    };
    two({"i2c", "set", "-y", "1", "0x48", "0x01", "0x04"});
    EXPECT_EQ(two({"i2c", "get", "-y", "0", "0x48", "0x01"}), "0x00\n");
    EXPECT_EQ(two({"i2c", "get", "-y", "1", "0x48", "0x01"}), "0x04\n");

    // The same file with another number of --sim adapters is refused.
    const std::string before = contents();
    auto r = run_usbio(with_state({"i2c", "get", "-y", "0", "0x48", "0x01"}));
    expect_failure(r, {file + ": holds the state of 2 simulated adapter(s), but --sim gives 1"});
    EXPECT_EQ(contents(), before);
}

TEST_F(CliSimState, NeedsSimAdapters) {
    auto r = run_usbio({"--no-usb", "--sim-state", file, "list"});
    expect_failure(r, {"--sim-state", "--sim CHIP"});
    EXPECT_FALSE(fs::exists(file));
}

// The FTDI chips' state: `--sim CHIP --sim-state FILE rest...`.
class CliFtdiState : public CliSimState {
protected:
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
    // Replaces the first `from` after `after` in the file.
    void edit(const std::string& after, const std::string& from, const std::string& to) const {
        std::string text = contents();
        const auto at = text.find(from, text.find(after));
        ASSERT_NE(at, std::string::npos) << text;
        text.replace(at, from.size(), to);
        write(text);
    }
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

struct BadFile {
    std::string from, to;   // the edit that breaks a good file
    std::string complaint;  // after "FILE: line N: "
    int line;
};

class CliSimStateBad : public CliSimState, public ::testing::WithParamInterface<BadFile> {};

TEST_P(CliSimStateBad, RefusedNamingFileAndLineAndLeftAsItWas) {
    ok({"i2c", "set", "-y", "0", "0x48", "0x01", "0x02"});
    std::string text = contents();
    const auto at = text.find(GetParam().from);
    ASSERT_NE(at, std::string::npos) << text;
    text.replace(at, GetParam().from.size(), GetParam().to);
    write(text);

    auto r = run_usbio(with_state({"i2c", "set", "-y", "0", "0x48", "0x01", "0x03"}));
    expect_failure(r, {file + ": line " + std::to_string(GetParam().line) + ": " + GetParam().complaint});
    EXPECT_EQ(contents(), text);
    EXPECT_EQ(entries(), 1u);
}

// The saved file: line 1 a comment, 2 version, 3 chip, 4 comment, 5..12
// gpio 0..7, ..., 16 comment, 17 prom, 18 comment, 19 eeprom (no rows),
// 20 comment, 21 lm75, 22 comment, 23 pca9555, 24 pcf8574, 25 end.
INSTANTIATE_TEST_SUITE_P(
    Cases, CliSimStateBad,
    ::testing::Values(BadFile{"usbio-sim-state 1", "usbio-sim-state 7", "state format version 7", 2},
                      BadFile{"chip cp2112", "chip ft232h", "the state of a ft232h, not of a cp2112", 3},
                      BadFile{"end\n", "", "the state is incomplete (no 'end' line", 24},
                      BadFile{"driven=0x00 level=0x00\nend\n", "dri", "the state is incomplete", 24},
                      BadFile{"gpio 4 direction=input", "gpio 4 direction=sideways",
                              "gpio 4: direction=sideways: expected input or output", 9},
                      BadFile{"# usbio", "garbage\n# usbio", "not a usbio simulated state", 1}));

// A held lock makes the next command wait; it goes on once the lock is
// given up, and sees the state the holder left.
TEST_F(CliSimState, SecondCommandWaitsForTheLock) {
    ok({"i2c", "set", "-y", "0", "0x48", "0x01", "0x02"});
    const int held = ::open(file.c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(held, 0);
    ASSERT_EQ(::flock(held, LOCK_EX), 0);
    const std::string before = contents();
    bool released = false;
    std::string while_waiting;

    auto r = run_usbio_on_stderr(with_state({"i2c", "set", "-y", "0", "0x48", "0x01", "0x05"}), "waiting for", [&] {
        while_waiting = contents();
        released = ::flock(held, LOCK_UN) == 0;
    });
    ::close(held);
    EXPECT_TRUE(released);
    EXPECT_EQ(while_waiting, before) << "the waiting command wrote";
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.err, "usbio: waiting for " + file + ": another usbio command is using it\n");
    EXPECT_EQ(ok({"i2c", "get", "-y", "0", "0x48", "0x01"}).out, "0x05\n");
}

TEST_F(CliSimState, LockHeldTooLongFailsNamingTheFile) {
    ok({"gpio", "get", "0", "0"});
    const std::string before = contents();
    const int held = ::open(file.c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(held, 0);
    ASSERT_EQ(::flock(held, LOCK_EX), 0);
    ::setenv("USBIO_SIM_STATE_WAIT", "0.2", 1);
    auto r = run_usbio(with_state({"gpio", "set", "0", "0=0"}), "", std::chrono::seconds(20));
    ::unsetenv("USBIO_SIM_STATE_WAIT");
    ::close(held);
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("usbio: " + file + ": still locked by another usbio command after 0.2 s"), std::string::npos)
        << describe(r);
    EXPECT_EQ(contents(), before);
}

}  // namespace
}  // namespace usbio::test
