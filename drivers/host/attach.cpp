// SPDX-License-Identifier: Apache-2.0
// usbio::usb::attach and usbio::usb::supported_chips.
#include "host/chip_table.hpp"
#include "host/usb_host.hpp"
#include "usbio/usb.hpp"
#include "usbio/usb/libusb_api.hpp"

namespace usbio::usb {

Result<std::shared_ptr<Host>> attach(Context& ctx, Options options) {
    auto host = host::UsbHost::start(ctx, system_libusb(), options, host::chip_table());
    if (!host) return host.error();
    return std::shared_ptr<Host>(std::move(host).value());
}

std::vector<SupportedChip> supported_chips() {
    std::vector<SupportedChip> out;
    for (const auto& e : host::chip_table()) {
        SupportedChip c;
        c.chip = e.chip;
        c.driver = e.driver;
        c.vid = e.vid;
        c.pid = e.pid;
        c.interfaces.assign(e.interfaces.begin(), e.interfaces.end());
        c.has_driver = e.probe != nullptr;
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace usbio::usb
