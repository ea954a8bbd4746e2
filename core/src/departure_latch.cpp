// SPDX-License-Identifier: Apache-2.0
#include "usbio/driver/departure_latch.hpp"

namespace usbio::driver {

void DepartureLatch::report() {
    DeviceLink link;
    {
        std::lock_guard lk(mu_);
        departed_ = true;
        if (linked_) link = link_;
    }
    link.request_remove();  // no-op while unlinked: set_link() requests it
    if (noticed_) noticed_();
}

void DepartureLatch::set_link(const DeviceLink& link) {
    {
        std::lock_guard lk(mu_);
        link_ = link;
        linked_ = true;
        if (!departed_) return;
    }
    link.request_remove();
}

}  // namespace usbio::driver
