#include "usbio/version.hpp"

namespace usbio {

Version library_version() noexcept { return kHeaderVersion; }

}  // namespace usbio
