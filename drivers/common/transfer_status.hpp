// SPDX-License-Identifier: Apache-2.0
// What a chip driver reports for a finished USB transfer: ENODEV once the
// driver was aborted (removal) or the device left, ETIMEDOUT as it is, a
// babbling device (EOVERFLOW) as EPROTO, every other failure as EIO.
#pragma once

#include <cerrno>
#include <system_error>

namespace usbio::drivers {

inline std::error_code transfer_status(std::error_code ec, bool aborted) {
    if (aborted) return std::error_code(ENODEV, std::generic_category());
    if (!ec) return {};
    switch (ec.value()) {
    case ENODEV:
    case ETIMEDOUT: return ec;
    case EOVERFLOW: return std::error_code(EPROTO, std::generic_category());
    default: return std::error_code(EIO, std::generic_category());
    }
}

}  // namespace usbio::drivers
