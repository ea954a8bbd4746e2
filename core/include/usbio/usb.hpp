// SPDX-License-Identifier: Apache-2.0
// Real adapters on USB, through libusb-1.0.
//
// attach() finds the supported adapters on the machine, binds a driver to
// each (the device appears in the Context with an arrival event) and keeps
// watching the bus: a plugged-in adapter is bound as it arrives, an unplugged
// one is removed (the usual removal: calls return ENODEV, a removed event).
// A re-plugged adapter is a new device. Adapters that were found but could
// not be bound are listed by unbound(), with the reason.
//
// Implemented by the drivers library (drivers/host); declared here because
// applications use it through the public API only.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "usbio/context.hpp"
#include "usbio/error.hpp"
#include "usbio/export.hpp"

namespace usbio::usb {

struct Options {
    // Keep watching after the first enumeration: libusb hotplug events, or
    // re-enumeration every poll_interval where libusb has none. Without it
    // the adapters found at attach() stay until they are unplugged (noticed
    // when a transfer finds the device gone) or the Host is destroyed.
    bool hotplug = true;
    std::chrono::milliseconds poll_interval{500};
};

// How the Host learns about arrivals and departures.
enum class Watch {
    none,     // Options::hotplug was false
    hotplug,  // libusb hotplug events
    polling,  // re-enumeration every poll_interval
};

// A supported adapter that is present but not bound to a driver.
struct UnboundAdapter {
    std::string chip;    // "cp2112", "ft232h", ...
    std::string driver;  // the driver that would bind it: "cp2112", "ftdi"
    uint16_t vid = 0;
    uint16_t pid = 0;
    std::string path;    // USB port path, "1-2.3"
    int interface = -1;  // the USB interface a device would be bound on
    std::string serial;  // when it could be read
    // Why: EOPNOTSUPP no driver for this chip yet; EACCES no permission
    // (the message says how to install the udev rules); EBUSY another
    // program holds it; ENODEV it left while being bound; other codes from
    // the driver's probe. The message names the adapter.
    Error reason;
};

// One USB product usbio knows: what `usbio` binds and the udev rules cover.
struct SupportedChip {
    std::string chip;    // "cp2112"
    std::string driver;  // "cp2112", "ftdi"
    uint16_t vid = 0;
    uint16_t pid = 0;
    std::vector<int> interfaces;  // one device per listed interface
    bool has_driver = false;      // false: listed as unbound ("no driver yet")
};

class USBIO_EXPORT Host {
public:
    // Stops watching and removes every device this Host added (full removal,
    // synchronous). Destroy the Host before its Context.
    virtual ~Host() = default;

    virtual Watch watch() const = 0;
    // Adapters present but not bound, in the order they were found.
    virtual std::vector<UnboundAdapter> unbound() const = 0;
    // Waits until every arrival and departure the Host has been told about
    // (and, when polling, one fresh enumeration) has been handled. True when
    // that happened within `timeout`.
    virtual bool settle(std::chrono::milliseconds timeout) = 0;
};

// Enumerates the machine's USB devices, binds the supported ones to ctx and,
// with options.hotplug, keeps watching until the Host is destroyed. Returns
// once the adapters present at the call are bound (or listed as unbound).
// Fails with ENODEV, saying why, when libusb cannot start at all (no
// /dev/bus/usb, as in most containers): there are no real adapters then.
USBIO_EXPORT Result<std::shared_ptr<Host>> attach(Context& ctx, Options options = {});

// The products usbio knows, in table order.
USBIO_EXPORT std::vector<SupportedChip> supported_chips();

}  // namespace usbio::usb
