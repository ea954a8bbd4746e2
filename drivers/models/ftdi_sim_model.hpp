// SPDX-License-Identifier: Apache-2.0
// The FTDI model behind a generic simulated adapter: one models::FtdiChipModel
// with one device per MPSSE port (FT232H: A; FT2232H and FT4232H: A and B),
// so each port becomes its own adapter. The chip-wide hooks of sim::Adapter
// (targets, line levels, EEPROM, faults) act on port A, whose bus holds the
// EEPROM and sensor like every port's. Faults: "short-packet" (a bulk-IN
// packet shorter than its two status bytes) and "bad-command" (a 0xFA
// bad-command echo in the reply stream).
#pragma once

#include <memory>

#include "common/driver_entry.hpp"
#include "common/sim_model.hpp"
#include "models/ftdi_model.hpp"
#include "usbio/sim.hpp"

namespace usbio::models {

// A new chip of `kind` (GPIO line n of the hooks is the driver's line n:
// ADBUS3..7, then ACBUS0..7), its EEPROMs of the given part (a 24C32).
std::unique_ptr<drivers::SimModel> make_ftdi_sim_model(FtdiKind kind, const sim::Options& options,
                                                       const Eeprom24cxxConfig& eeprom = {});
// Over a chip the caller keeps, to reach its world (the targets on its
// buses) beyond the generic hooks.
std::unique_ptr<drivers::SimModel> make_ftdi_sim_model(std::shared_ptr<FtdiChipModel> chip);

// The driver entry's factory: the product's chip name picks the kind.
Result<std::unique_ptr<drivers::SimModel>> make_ftdi_product_sim_model(const drivers::Product& product,
                                                                       const sim::Options& options);

}  // namespace usbio::models
