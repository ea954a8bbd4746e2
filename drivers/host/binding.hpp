// One adapter interface bound to its driver, and how its departure reaches
// core whichever way it is noticed first: the transport finding the device
// gone (its on_disconnect) or the host seeing it leave the bus.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <variant>

#include "host/chip_table.hpp"
#include "usbio/usb.hpp"
#include "usbio/usb/libusb_context.hpp"
#include "usbio/usb/libusb_transport.hpp"

namespace usbio::host {

// The departure may be reported before the driver's probe has returned the
// link (an unplug during probing); it is then acted on once the link exists.
// Removal is always requested, never run here: the reporter may be the
// event thread that the removal waits on.
class Departure {
public:
    void report();
    void set_link(const driver::DeviceLink& link);

private:
    std::mutex mu_;
    driver::DeviceLink link_;
    bool linked_ = false;
    bool departed_ = false;
};

struct Binding {
    usb::LibusbTransport::Presence presence;
    std::shared_ptr<Departure> departure;
    driver::DeviceLink link;

    // The device left the bus: its transfers end with ENODEV and core starts
    // the removal.
    void device_left() const;
};

// "cp2112 [1-2.3]", "ft2232h [1-2.3] interface 1".
std::string adapter_name(const ChipEntry& entry, const std::string& path, uint8_t interface);

// Opens interface `interface` of `dev`, probes the entry's driver on it and
// publishes the device; or says why not.
std::variant<Binding, usb::UnboundAdapter> bind_interface(Context& ctx,
                                                          const std::shared_ptr<usb::LibusbContext>& lctx,
                                                          libusb_device* dev, const ChipEntry& entry,
                                                          const std::string& path, uint8_t interface);

// The entry of a chip with no driver.
usb::UnboundAdapter no_driver(const ChipEntry& entry, const std::string& path, uint8_t interface);

}  // namespace usbio::host
