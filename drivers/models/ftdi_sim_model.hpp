// SPDX-License-Identifier: Apache-2.0
// The FTDI model behind a generic simulated adapter: the public sim options
// and faults mapped onto port A of a models::FtdiChipModel. An FT232H has
// one MPSSE port, so it is one adapter today; the two ports of an FT2232H
// or FT4232H wait for an adapter that publishes one device per port.
#pragma once

#include <memory>
#include <vector>

#include "common/sim_model.hpp"
#include "models/ftdi_model.hpp"
#include "usbio/sim.hpp"

namespace usbio::models {

// Port `port` of `chip` as a SimModel (GPIO line n is the driver's line n:
// ADBUS3..7, then ACBUS0..7).
std::unique_ptr<drivers::SimModel> make_ftdi_port_sim_model(std::shared_ptr<FtdiChipModel> chip, unsigned port);

// Every MPSSE port of a new chip of `kind`, each a SimModel over the same
// chip: what an adapter publishing one device per port needs.
std::vector<std::unique_ptr<drivers::SimModel>> make_ftdi_sim_models(FtdiKind kind, const sim::Options& options);

std::unique_ptr<drivers::SimModel> make_ft232h_sim_model(const sim::Options& options);

}  // namespace usbio::models
