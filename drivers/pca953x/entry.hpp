// SPDX-License-Identifier: Apache-2.0
// The PCA953x driver's row in the client table.
#pragma once

#include "common/client_entry.hpp"

namespace usbio::pca953x {

const drivers::ClientEntry& pca953x_entry();

}  // namespace usbio::pca953x
