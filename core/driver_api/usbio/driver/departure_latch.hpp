// SPDX-License-Identifier: Apache-2.0
// Where a transport's "the device is gone" report goes while a driver is
// being bound. The report can come before probe() has returned the device's
// link (an unplug during probing, or right after); it is then kept and acted
// on once the link exists. Removal is only ever requested here, never run:
// the reporter may be the transport's event thread that removal waits on.
#pragma once

#include <functional>
#include <mutex>

#include "usbio/driver/provider.hpp"

namespace usbio::driver {

class DepartureLatch {
public:
    // `noticed` (optional) is called after every report, outside the latch's
    // lock: for whoever else must hear of it (a host that may bind the
    // device again).
    explicit DepartureLatch(std::function<void()> noticed = {}) : noticed_(std::move(noticed)) {}

    void report();
    void set_link(const DeviceLink& link);

private:
    std::mutex mu_;
    DeviceLink link_;
    bool linked_ = false;
    bool departed_ = false;
    const std::function<void()> noticed_;
};

}  // namespace usbio::driver
