// SPDX-License-Identifier: Apache-2.0
// usbio i2c recover and --stretch: what each says and its exit status, on
// the FTDI chips and the CP2112. (FTDI --sim-state: cli_sim_state_test.cpp.)
#include "cli_expect.hpp"

namespace usbio::test {
namespace {

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

}  // namespace
}  // namespace usbio::test
