// SPDX-License-Identifier: Apache-2.0
#include "usbio/version.hpp"

namespace usbio {

Version library_version() noexcept { return kHeaderVersion; }

}  // namespace usbio
