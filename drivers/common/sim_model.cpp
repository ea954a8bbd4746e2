// SPDX-License-Identifier: Apache-2.0
#include "common/sim_model.hpp"

#include <cerrno>

namespace usbio::drivers {

namespace {

Error no_state() { return make_error(EOPNOTSUPP, "this chip's simulated model keeps no saved state"); }

}  // namespace

Result<void> SimModel::save_state(sim_state::Writer&) const { return no_state(); }

Result<void> SimModel::load_state(sim_state::Reader&) { return no_state(); }

}  // namespace usbio::drivers
