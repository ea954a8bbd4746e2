// SPDX-License-Identifier: Apache-2.0
// Enumeration: the named adapter is found on the bus, bound to its driver,
// with its serial number and USB port path.
#include <fstream>
#include <regex>

#include "hw_fixture.hpp"

namespace usbio::hw {
namespace {

std::string sysfs_attr(const std::string& path, const char* attr) {
    std::ifstream in("/sys/bus/usb/devices/" + path + "/" + attr);
    std::string v;
    std::getline(in, v);
    return v;
}

// Asserts: the adapter named by serial number is present and bound (not
// listed as unbound), reports the configured driver, the same serial, the
// VID:PID of a chip that driver binds, a USB port path of the form
// BUS-PORT[.PORT...] that sysfs knows with the same serial, and at least
// one GPIO chip and one I2C bus.
TEST_F(HwTest, EnumerationFindsNamedAdapter) {
    asserts("the adapter with serial '" + cfg.serial + "' is bound to driver " + cfg.driver +
            " with its serial, VID:PID and USB port path, and has a GPIO chip and an I2C bus");
    const DeviceInfo& i = dev.info();
    measure("device", i.display_name() + " path " + i.path + " id " + i.id);
    measure("watch", to_string(session->host().watch()));
    EXPECT_EQ(i.driver, cfg.driver);
    EXPECT_EQ(i.serial, cfg.serial);
    EXPECT_FALSE(i.simulated);
    EXPECT_TRUE(dev.present());

    bool known = false;
    for (const auto& chip : usb::supported_chips())
        if (chip.driver == cfg.driver && chip.vid == i.vid && chip.pid == i.pid) known = true;
    char vidpid[16];
    std::snprintf(vidpid, sizeof vidpid, "%04x:%04x", i.vid, i.pid);
    EXPECT_TRUE(known) << vidpid << " is not a chip the " << cfg.driver << " driver binds";
    measure("vid_pid", vidpid);

    EXPECT_TRUE(std::regex_match(i.path, std::regex("[0-9]+-[0-9]+(\\.[0-9]+)*"))) << "path '" << i.path << "'";
    // sysfs names the same device by the same port path (when mounted).
    const std::string sys_serial = sysfs_attr(i.path, "serial");
    if (!sys_serial.empty()) {
        EXPECT_EQ(sys_serial, cfg.serial) << "/sys/bus/usb/devices/" << i.path << "/serial";
    }

    for (const auto& u : session->host().unbound())
        EXPECT_NE(u.serial, cfg.serial) << "also listed as unbound: " << u.reason.message;

    EXPECT_GE(dev.gpio_chip_count(), 1u);
    EXPECT_GE(dev.i2c_bus_count(), 1u);
    auto chip = dev.gpio_chip(0);
    ASSERT_TRUE(chip) << chip.error().message;
    measure("gpio_chip",
            chip->info().name + " " + chip->info().label + " " + std::to_string(chip->info().num_lines) + " lines");
    auto bus = dev.i2c_bus(0);
    ASSERT_TRUE(bus) << bus.error().message;
    measure("i2c_bus", bus->info().name);
    // Found again by its serial through the Context, as `usbio` finds it.
    auto again = session->ctx().find(cfg.serial);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(*again == dev);
}

}  // namespace
}  // namespace usbio::hw
