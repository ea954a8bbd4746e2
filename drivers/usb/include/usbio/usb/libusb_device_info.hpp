// SPDX-License-Identifier: Apache-2.0
// What libusb knows about a device without opening it: IDs, the port path
// and the interfaces of its configuration.
#pragma once

#include <string>
#include <vector>

#include "usbio/usb/libusb_api.hpp"
#include "usbio/usb/transport.hpp"

namespace usbio::usb {

// "1-2.3": bus number, then the port on each hub from the root down, as
// Linux names USB devices in sysfs. "1-0" for a root hub.
std::string port_path(LibusbApi& api, libusb_device* dev);

// "/dev/bus/usb/001/005": the usbfs node of the device, for messages.
std::string usbfs_node(LibusbApi& api, libusb_device* dev);

// Interfaces (first alternate setting each) of the active configuration, or
// of the first one when the device is not configured. Empty when libusb
// cannot read the descriptors.
std::vector<InterfaceInfo> read_interfaces(LibusbApi& api, libusb_device* dev);

// Interfaces and endpoints from a configuration descriptor libusb parsed.
std::vector<InterfaceInfo> interfaces_from(const libusb_config_descriptor& config);

}  // namespace usbio::usb
