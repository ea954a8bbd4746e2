// SPDX-License-Identifier: Apache-2.0
#include "host/binding.hpp"

#include <cerrno>

namespace usbio::host {

void Binding::device_left() const {
    presence.device_left();  // transfers in flight end with ENODEV, the transport reports it
    link.request_remove();   // and in case the transport is already gone
}

std::string adapter_name(const ChipEntry& entry, const std::string& path, uint8_t interface) {
    std::string name = std::string(entry.chip) + " [" + path + "]";
    if (entry.interfaces.size() > 1) name += " interface " + std::to_string(interface);
    return name;
}

namespace {

usb::UnboundAdapter unbound(const ChipEntry& entry, const std::string& path, uint8_t interface, Error reason) {
    usb::UnboundAdapter u;
    u.chip = entry.chip;
    u.driver = entry.driver;
    u.vid = entry.vid;
    u.pid = entry.pid;
    u.path = path;
    u.interface = interface;
    u.reason = std::move(reason);
    return u;
}

}  // namespace

usb::UnboundAdapter no_driver(const ChipEntry& entry, const std::string& path, uint8_t interface) {
    return unbound(entry, path, interface,
                   make_error(EOPNOTSUPP, adapter_name(entry, path, interface) + ": no " + entry.driver +
                                              " driver yet; the adapter is left alone"));
}

std::variant<Binding, Unbound> bind_interface(Context& ctx, const std::shared_ptr<usb::LibusbContext>& lctx,
                                              libusb_device* dev, const ChipEntry& entry, const std::string& path,
                                              uint8_t interface) {
    const std::string who = adapter_name(entry, path, interface);
    auto opened = usb::LibusbTransport::open(lctx, dev, interface, who);
    if (!opened) return Unbound{unbound(entry, path, interface, opened.error()), true};
    std::unique_ptr<usb::LibusbTransport> transport = std::move(opened).value();
    const std::string serial = transport->identity().serial;

    driver::DeviceSlot slot(ctx);
    Binding b;
    b.interface = interface;
    b.presence = transport->presence();
    b.link = slot.link();
    transport->on_disconnect([link = b.link] { link.request_remove(); });

    auto published = entry.probe(slot, std::move(transport));
    if (!published) {
        auto u = unbound(entry, path, interface, published.error());
        u.serial = serial;
        // ENODEV: the device went away while probed; if it stays on the bus
        // (deauthorised) it can be bound once it is back.
        const bool gone = u.reason.code == std::error_code(ENODEV, std::generic_category());
        return Unbound{std::move(u), gone};
    }
    return b;
}

}  // namespace usbio::host
