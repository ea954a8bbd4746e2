// SPDX-License-Identifier: Apache-2.0
// Binding one MPSSE port of an FTDI chip to a Context: open the port on its
// transport and publish a device with a GPIO chip (ADBUS3..7, ACBUS0..7)
// and an I2C bus.
#pragma once

#include <memory>

#include "usbio/context.hpp"
#include "usbio/driver/provider.hpp"
#include "usbio/usb/transport.hpp"

namespace usbio::ftdi {

// Opens the port the transport claimed and publishes it into `slot`. The transport
// becomes the driver's. EPROTO when the device is not an MPSSE chip or does
// not answer as one; EOPNOTSUPP for a port without MPSSE; the transport's
// error (ENODEV when unplugged) when opening fails.
Result<Device> probe(driver::DeviceSlot& slot, std::unique_ptr<usb::Transport> transport);

}  // namespace usbio::ftdi
