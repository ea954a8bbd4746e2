// SPDX-License-Identifier: Apache-2.0
#include "ftdi/entry.hpp"

#include "ftdi/chip.hpp"
#include "ftdi/probe.hpp"
#include "models/ftdi_sim_model.hpp"

namespace usbio::ftdi {

// Only the MPSSE-capable ports are bound (FT4232H C and D are UART and
// bit-bang only). Every product is simulated.
drivers::DriverEntry driver_entry() {
    return {"ftdi",
            {{"ft232h", kVendorId, 0x6014, {0}},
             {"ft2232h", kVendorId, 0x6010, {0, 1}},
             {"ft4232h", kVendorId, 0x6011, {0, 1}}},
            &probe,
            &models::make_ftdi_product_sim_model};
}

}  // namespace usbio::ftdi
