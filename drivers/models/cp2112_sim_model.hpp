// SPDX-License-Identifier: Apache-2.0
// The CP2112 model behind a generic simulated adapter: the public sim
// options, its settings ("device-version", and "eeprom-part" and
// "eeprom-write-cycle-us" for the EEPROM at 0x50) and its faults ("short-report",
// "bad-length", "bad-status", "wrong-report-id": broken input reports)
// mapped onto models::Cp2112Model.
#pragma once

#include <memory>

#include "common/driver_entry.hpp"
#include "common/sim_model.hpp"
#include "models/cp2112_model.hpp"
#include "usbio/sim.hpp"

namespace usbio::models {

Result<std::unique_ptr<drivers::SimModel>> make_cp2112_sim_model(const drivers::Product& product,
                                                                 const sim::Options& options);
// Over a model the caller keeps, to reach its world (the targets on its
// bus) beyond the generic hooks.
std::unique_ptr<drivers::SimModel> make_cp2112_sim_model(std::shared_ptr<Cp2112Model> model);

}  // namespace usbio::models
