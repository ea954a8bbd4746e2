// SPDX-License-Identifier: Apache-2.0
// Binding a CP2112 to a Context: open the chip on a transport and publish a
// device with one GPIO chip (8 lines) and one I2C bus.
#pragma once

#include <memory>

#include "usbio/context.hpp"
#include "usbio/driver/provider.hpp"
#include "usbio/usb/transport.hpp"

namespace usbio::cp2112 {

inline constexpr uint16_t kVendorId = 0x10C4;
inline constexpr uint16_t kProductId = 0xEA90;

// Opens the chip and publishes it into `slot`. The transport becomes the
// driver's; it is released when core tears the device down. The caller
// reports the adapter's departure through the slot's link (the transport's
// on_disconnect is the caller's to wire). Fails with EPROTO when the device
// is not a CP2112 and with ENODEV when it was unplugged while probed.
Result<Device> probe(driver::DeviceSlot& slot, std::unique_ptr<usb::Transport> transport);

}  // namespace usbio::cp2112
