// SPDX-License-Identifier: Apache-2.0
// One adapter interface bound to its driver, and how its departure reaches
// core whichever way it is noticed first: the transport finding the device
// gone (its on_disconnect) or the host seeing it leave the bus.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "host/chip_table.hpp"
#include "usbio/driver/provider.hpp"
#include "usbio/usb.hpp"
#include "usbio/usb/libusb_context.hpp"
#include "usbio/usb/libusb_transport.hpp"

namespace usbio::host {

struct Binding {
    uint8_t interface = 0;
    usb::LibusbTransport::Presence presence;
    // The device's core record, made before probe: the transport reports to
    // it from the first transfer on.
    driver::DeviceLink link;

    // The device left the bus: its transfers end with ENODEV and core starts
    // the removal.
    void device_left() const;
};

// An interface no driver holds, and whether binding it again may succeed
// while the device stays plugged in: opening it failed for a reason that can
// pass (udev had not applied its permissions yet, another program held it,
// the device was not configured: deauthorised in sysfs). A driver's probe
// that failed is not retried: each try would detach and re-attach the
// kernel's driver.
struct Unbound {
    usb::UnboundAdapter adapter;
    bool retry = false;
};

// "cp2112 [1-2.3]", "ft2232h [1-2.3] interface 1".
std::string adapter_name(const ChipEntry& entry, const std::string& path, uint8_t interface);

// Opens interface `interface` of `dev`, probes the entry's driver on it and
// publishes the device; or says why not.
std::variant<Binding, Unbound> bind_interface(Context& ctx, const std::shared_ptr<usb::LibusbContext>& lctx,
                                              libusb_device* dev, const ChipEntry& entry, const std::string& path,
                                              uint8_t interface);

// The entry of a chip with no driver.
usb::UnboundAdapter no_driver(const ChipEntry& entry, const std::string& path, uint8_t interface);

}  // namespace usbio::host
