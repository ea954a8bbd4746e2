// SPDX-License-Identifier: Apache-2.0
// What a chip driver folder exports: one entry naming the driver, the USB
// products it binds (VID:PID and interfaces), its probe and the factory of
// its simulated model. The driver table (drivers/table) lists the entries;
// the libusb host, the simulated adapters, `usbio list`, the udev-rules test
// and the tests read it and nothing chip-specific.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/sim_model.hpp"
#include "usbio/context.hpp"
#include "usbio/driver/provider.hpp"
#include "usbio/sim.hpp"
#include "usbio/usb/transport.hpp"

namespace usbio::drivers {

// Opens the chip on a transport (one interface) and publishes its device
// into `slot`, which the caller made (and wired the transport's departure
// report to) before calling. The transport becomes the driver's. Fails with
// the transport's error (ENODEV when unplugged, also when the slot reports
// the adapter gone at publish) or EPROTO when the device is not that chip.
using ProbeFn = Result<Device> (*)(driver::DeviceSlot& slot, std::unique_ptr<usb::Transport> transport);

struct Product;

// A new simulated chip (the hardware): one of the entry's products, with
// the given options; its serial number is options.serial. Fails with EINVAL
// for a setting in options.settings the model does not read or a value it
// does not take.
using SimModelFactory = Result<std::unique_ptr<SimModel>> (*)(const Product& product, const sim::Options& options);

struct Product {
    const char* chip = "";  // "cp2112", "ft2232h"
    uint16_t vid = 0;
    uint16_t pid = 0;
    // One device per interface listed (FT2232H: the two MPSSE ports A and B).
    std::vector<uint8_t> interfaces;
};

struct DriverEntry {
    const char* name = "";  // "cp2112", "ftdi"
    std::vector<Product> products;
    // Null while the chip has no driver: its adapters are listed as unbound
    // ("no driver yet"), never opened for binding.
    ProbeFn probe = nullptr;
    // Null when the chip has no simulated model. Each product is simulated
    // by its chip name (sim::attach(ctx, "ft2232h")).
    SimModelFactory sim_model = nullptr;
};

}  // namespace usbio::drivers
