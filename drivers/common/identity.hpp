// SPDX-License-Identifier: Apache-2.0
// A device's identity in core (DeviceInfo) from what its USB transport read:
// ids, strings and port path. Shared by every chip driver's probe.
#pragma once

#include <string>
#include <string_view>

#include "usbio/device.hpp"
#include "usbio/usb/transport.hpp"

namespace usbio::drivers {

// "usb-1-2.3:1.0" (port path, configuration value, interface) or, for a
// simulated adapter on "sim:3", "sim3:1.0": unique while the port is, and
// each interface of a multi-port chip gets its own.
std::string device_id(const usb::DeviceIdentity& id);

// id, vid, pid, serial, path and simulated from the transport; `driver` as
// given; the description is the product string, or `fallback` without one.
DeviceInfo device_info(const usb::DeviceIdentity& id, std::string_view driver, std::string_view fallback);

}  // namespace usbio::drivers
