// SPDX-License-Identifier: Apache-2.0
// Device ids name the port and the interface, so each port of a multi-port
// chip is its own adapter.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "common/identity.hpp"

namespace usbio::test {
namespace {

usb::DeviceIdentity on_port(std::string path, bool simulated, std::optional<uint8_t> interface) {
    usb::DeviceIdentity id;
    id.vid = 0x0403;
    id.pid = 0x6010;
    id.path = std::move(path);
    id.simulated = simulated;
    if (interface) {
        usb::InterfaceInfo itf;
        itf.number = *interface;
        id.interfaces.push_back(itf);
    }
    return id;
}

TEST(DeviceId, NamesPortConfigurationAndInterface) {
    EXPECT_EQ(drivers::device_id(on_port("1-2.3", false, 0)), "usb-1-2.3:1.0");
    EXPECT_EQ(drivers::device_id(on_port("1-2.3", false, 1)), "usb-1-2.3:1.1");
    EXPECT_EQ(drivers::device_id(on_port("sim:3", true, 0)), "sim3:1.0");
}

TEST(DeviceId, NamesTheInterfacesConfiguration) {
    auto ident = on_port("3-1", false, 2);
    ident.interfaces.front().configuration = 2;
    EXPECT_EQ(drivers::device_id(ident), "usb-3-1:2.2");
}

TEST(DeviceId, TwoPortsOfOneChipDiffer) {
    const auto a = drivers::device_info(on_port("1-4", false, 0), "ftdi", "FT2232H");
    const auto b = drivers::device_info(on_port("1-4", false, 1), "ftdi", "FT2232H");
    EXPECT_NE(a.id, b.id);
    EXPECT_EQ(a.path, b.path);
}

TEST(DeviceInfoFromUsb, ProductStringOrFallback) {
    auto ident = on_port("1-4", false, 0);
    ident.serial = "FT123";
    const auto plain = drivers::device_info(ident, "ftdi", "FT2232H dual MPSSE");
    EXPECT_EQ(plain.description, "FT2232H dual MPSSE");
    EXPECT_EQ(plain.driver, "ftdi");
    EXPECT_EQ(plain.serial, "FT123");
    EXPECT_EQ(plain.vid, 0x0403);
    EXPECT_EQ(plain.pid, 0x6010);
    EXPECT_FALSE(plain.simulated);
    ident.product = "Dual RS232-HS";
    EXPECT_EQ(drivers::device_info(ident, "ftdi", "FT2232H dual MPSSE").description, "Dual RS232-HS");
}

}  // namespace
}  // namespace usbio::test
