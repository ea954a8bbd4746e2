// SPDX-License-Identifier: Apache-2.0
#include "cp2112/entry.hpp"

#include "cp2112/probe.hpp"
#include "models/cp2112_sim_model.hpp"

namespace usbio::cp2112 {

drivers::DriverEntry driver_entry() {
    return {"cp2112", {{"cp2112", kVendorId, kProductId, {0}}}, &probe, &models::make_cp2112_sim_model};
}

}  // namespace usbio::cp2112
