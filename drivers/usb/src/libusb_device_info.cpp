// SPDX-License-Identifier: Apache-2.0
#include "usbio/usb/libusb_device_info.hpp"

#include <cstdio>

namespace usbio::usb {

namespace {

// The USB 2.0 limit on hub tiers below the root.
constexpr int kMaxPortDepth = 7;

TransferType endpoint_type(uint8_t attributes) {
    switch (attributes & 0x03) {
    case LIBUSB_TRANSFER_TYPE_INTERRUPT: return TransferType::interrupt;
    case LIBUSB_TRANSFER_TYPE_CONTROL: return TransferType::control;
    default: return TransferType::bulk;  // isochronous endpoints are not used; listed as bulk
    }
}

}  // namespace

std::string port_path(LibusbApi& api, libusb_device* dev) {
    uint8_t ports[kMaxPortDepth];
    const int n = api.get_port_numbers(dev, ports, kMaxPortDepth);
    std::string path = std::to_string(api.get_bus_number(dev)) + "-";
    if (n <= 0) return path + "0";
    for (int i = 0; i < n; ++i) {
        if (i) path += ".";
        path += std::to_string(ports[i]);
    }
    return path;
}

std::string usbfs_node(LibusbApi& api, libusb_device* dev) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "/dev/bus/usb/%03u/%03u", api.get_bus_number(dev), api.get_device_address(dev));
    return buf;
}

std::vector<InterfaceInfo> interfaces_from(const libusb_config_descriptor& config) {
    std::vector<InterfaceInfo> out;
    if (!config.interface) return out;
    for (int i = 0; i < config.bNumInterfaces; ++i) {
        const libusb_interface& itf = config.interface[i];
        if (itf.num_altsetting < 1 || !itf.altsetting) continue;
        const libusb_interface_descriptor& alt = itf.altsetting[0];
        InterfaceInfo info;
        info.number = alt.bInterfaceNumber;
        info.klass = alt.bInterfaceClass;
        info.configuration = config.bConfigurationValue;
        for (int e = 0; e < alt.bNumEndpoints && alt.endpoint; ++e) {
            const libusb_endpoint_descriptor& ep = alt.endpoint[e];
            EndpointInfo ei;
            ei.address = ep.bEndpointAddress;
            ei.type = endpoint_type(ep.bmAttributes);
            ei.max_packet = static_cast<uint16_t>(ep.wMaxPacketSize & 0x07FF);  // bits 11-12: extra transactions
            info.endpoints.push_back(ei);
        }
        out.push_back(std::move(info));
    }
    return out;
}

std::vector<InterfaceInfo> read_interfaces(LibusbApi& api, libusb_device* dev) {
    libusb_config_descriptor* config = nullptr;
    if (api.get_active_config_descriptor(dev, &config) != 0 || !config) {
        config = nullptr;
        if (api.get_config_descriptor(dev, 0, &config) != 0 || !config) return {};
    }
    std::vector<InterfaceInfo> out = interfaces_from(*config);
    api.free_config_descriptor(config);
    return out;
}

}  // namespace usbio::usb
