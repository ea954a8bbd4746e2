// SPDX-License-Identifier: Apache-2.0
#include "common/identity.hpp"

namespace usbio::drivers {

std::string device_id(const usb::DeviceIdentity& id) {
    constexpr std::string_view sim_prefix = "sim:";
    std::string port;
    if (id.simulated) {
        std::string_view p = id.path;
        if (p.substr(0, sim_prefix.size()) == sim_prefix) p.remove_prefix(sim_prefix.size());
        port = "sim" + std::string(p);
    } else {
        port = "usb-" + id.path;
    }
    // A transport serves one interface (the one it claimed), named as the
    // kernel names it in sysfs: "1-2.3:1.0", configuration 1, interface 0.
    const usb::InterfaceInfo itf = id.interfaces.empty() ? usb::InterfaceInfo{} : id.interfaces.front();
    return port + ":" + std::to_string(itf.configuration) + "." + std::to_string(itf.number);
}

DeviceInfo device_info(const usb::DeviceIdentity& id, std::string_view driver, std::string_view fallback) {
    DeviceInfo info;
    info.id = device_id(id);
    info.driver = driver;
    info.vid = id.vid;
    info.pid = id.pid;
    info.serial = id.serial;
    info.path = id.path;
    info.description = id.product.empty() ? std::string(fallback) : id.product;
    info.simulated = id.simulated;
    return info;
}

}  // namespace usbio::drivers
