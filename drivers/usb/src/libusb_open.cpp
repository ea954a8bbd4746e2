// SPDX-License-Identifier: Apache-2.0
// LibusbTransport::open: from a libusb device to a transport with its
// interface claimed and its identity read, and the messages a user sees
// when that fails.
#include <cerrno>

#include "libusb_engine.hpp"
#include "libusb_handle.hpp"
#include "libusb_strings.hpp"
#include "usbio/usb/libusb_device_info.hpp"
#include "usbio/usb/libusb_status.hpp"
#include "usbio/usb/libusb_transport.hpp"

namespace usbio::usb {

namespace {

Error access_denied(const std::string& who, const std::string& node) {
    return make_error(EACCES, who + ": permission denied opening " + node +
                                  ". Install usbio's udev rules: `sudo cmake --install build/default` (or copy udev/" +
                                  kUdevRulesFile +
                                  " to /etc/udev/rules.d/), then run `sudo udevadm control --reload-rules "
                                  "&& sudo udevadm trigger` and re-plug the adapter. Outside a local desktop session, "
                                  "also join group plugdev (`sudo adduser $USER plugdev`, then log in again).");
}

Error busy(const std::string& who, int interface) {
    return make_error(EBUSY, who + ": interface " + std::to_string(interface) +
                                 " is in use by another program, which holds the adapter; close that program "
                                 "and try again");
}

// The device is on the bus without its configuration: deauthorised
// (authorized=0 in sysfs) or not yet configured by the kernel.
Error not_configured(const std::string& who, int interface) {
    return make_error(ENOENT, who + ": interface " + std::to_string(interface) +
                                  " is not there: the device is not configured (deauthorised in sysfs, or still "
                                  "being set up); it is bound once it is");
}

Error failed(const std::string& who, const std::string& what, int libusb_error) {
    const int e = errno_from_libusb_error(libusb_error);
    if (e == ENODEV) return make_error(ENODEV, who + ": " + what + ": device gone");
    return make_error(e ? e : EIO, who + ": " + what + ": " + libusb_error_text(libusb_error));
}

}  // namespace

Result<std::unique_ptr<LibusbTransport>> LibusbTransport::open(std::shared_ptr<LibusbContext> ctx,
                                                               libusb_device* device, std::optional<uint8_t> interface,
                                                               const std::string& who) {
    LibusbApi& api = ctx->api();
    libusb_device_descriptor desc{};
    if (int r = api.get_device_descriptor(device, &desc); r != 0)
        return failed(who, "reading the device descriptor", r);

    DeviceIdentity id;
    id.vid = desc.idVendor;
    id.pid = desc.idProduct;
    id.bcd_device = desc.bcdDevice;
    id.path = port_path(api, device);
    if (interface) {
        for (auto& itf : read_interfaces(api, device))
            if (itf.number == *interface) id.interfaces.push_back(std::move(itf));
        if (id.interfaces.empty())
            return make_error(EINVAL, who + ": the device has no interface " + std::to_string(*interface));
    }

    libusb_device_handle* raw = nullptr;
    if (int r = api.open_own(ctx->raw(), device, &raw); r != 0) {
        if (r == LIBUSB_ERROR_ACCESS) return access_denied(who, usbfs_node(api, device));
        return failed(who, "opening", r);
    }
    detail::LibusbHandle handle(api, raw);
    if (interface) {
        const int r = handle.claim(*interface);
        if (r == LIBUSB_ERROR_BUSY) return busy(who, *interface);
        if (r == LIBUSB_ERROR_ACCESS) return access_denied(who, usbfs_node(api, device));
        if (r == LIBUSB_ERROR_NOT_FOUND) return not_configured(who, *interface);
        if (r != 0) return failed(who, "claiming interface " + std::to_string(*interface), r);
    }

    auto engine = std::make_shared<detail::LibusbEngine>(*ctx, std::move(handle), id.interfaces);
    std::unique_ptr<LibusbTransport> t(new LibusbTransport(ctx, std::move(engine), std::move(id)));

    // Strings are read through the transport itself, asynchronously. A
    // device that cannot tell its name is still usable; one that left is not.
    uint16_t langid = 0;
    std::error_code ec = detail::read_langid(*t, langid);
    DeviceIdentity& ident = t->identity_;
    if (ec.value() != ENODEV) ec = detail::read_string(*t, desc.iManufacturer, langid, ident.manufacturer);
    if (ec.value() != ENODEV) ec = detail::read_string(*t, desc.iProduct, langid, ident.product);
    if (ec.value() != ENODEV) ec = detail::read_string(*t, desc.iSerialNumber, langid, ident.serial);
    if (ec.value() == ENODEV || !t->connected()) return make_error(ENODEV, who + ": reading its strings: device gone");
    return t;
}

}  // namespace usbio::usb
