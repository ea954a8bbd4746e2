// SPDX-License-Identifier: Apache-2.0
// usbio_udev_rules: writes 70-usbio.rules from the driver table, one rule
// per USB product it lists (with or without a driver yet), so a new table
// row is all it takes for a user to be allowed to open the adapter.
// Usage: usbio_udev_rules OUTPUT
#include <cstdio>
#include <fstream>
#include <string>

#include "table/driver_table.hpp"

namespace {

constexpr const char* kHeader = R"(# SPDX-License-Identifier: Apache-2.0
# usbio: access to the USB bridge adapters usbio supports, without root.
# Generated from the driver table (drivers/table/driver_table.cpp) by
# udev/generate_rules.cpp at build time; edit those, not this file.
#
# The user logged in at the local seat gets access (TAG+="uaccess", applied
# by systemd's 73-seat-late.rules, so this file must sort before it), and so
# do members of group plugdev (for SSH sessions and services). The number 70
# also puts these rules after 50-udev-default.rules, whose MODE="0664" for
# every USB device node would otherwise win.
#
# Only the USB device node (/dev/bus/usb/BBB/DDD, which libusb opens) is
# matched; kernel drivers' nodes (hidraw, ttyUSB, i2c-dev) are not touched.
#
# Install: `sudo cmake --install build/default`, or copy this file to
# /etc/udev/rules.d/; then `sudo udevadm control --reload-rules &&
# sudo udevadm trigger` and re-plug the adapter.
)";

std::string hex4(uint16_t v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04x", v);
    return buf;
}

std::string interfaces(const usbio::drivers::Product& p) {
    std::string out;
    for (uint8_t i : p.interfaces) out += (out.empty() ? "" : ", ") + std::to_string(i);
    return (p.interfaces.size() == 1 ? "interface " : "interfaces ") + out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTPUT\n", argv[0]);
        return 2;
    }
    std::string text = kHeader;
    for (const auto& e : usbio::drivers::driver_table()) {
        for (const auto& p : e.products) {
            text += "\n# " + std::string(p.chip) + " (" + interfaces(p) + "): ";
            text += e.probe ? "driver " + std::string(e.name) : "no " + std::string(e.name) + " driver yet";
            text += "\nSUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"" + hex4(p.vid) +
                    "\", ATTR{idProduct}==\"" + hex4(p.pid) +
                    "\", MODE=\"0660\", GROUP=\"plugdev\", TAG+=\"uaccess\"\n";
        }
    }
    std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        std::fprintf(stderr, "usbio_udev_rules: cannot write %s\n", argv[1]);
        return 1;
    }
    return 0;
}
