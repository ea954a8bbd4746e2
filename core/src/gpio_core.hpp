// SPDX-License-Identifier: Apache-2.0
// Core side of a gpio chip: line bookkeeping (who requested what) and the
// guarded calls into the driver's GpioOps.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "device_core.hpp"
#include "gpio_edges.hpp"
#include "usbio/driver/provider.hpp"
#include "usbio/gpio.hpp"

namespace usbio::detail {

class GpioChipCore {
public:
    GpioChipCore(DeviceCore& dev, driver::GpioChipDesc desc, std::size_t index)
        : dev(dev), desc(std::move(desc)), index(index), lines(this->desc.line_names.size()) {}

    DeviceCore& dev;
    const driver::GpioChipDesc desc;
    const std::size_t index;  // of this chip's ops in the device's DriverOps

    // A guarded call of fn(GpioOps&) on this chip (see DeviceCore::call).
    template <class Fn, class What>
    Result<void> call(Fn&& fn, What&& what) {
        return dev.call([&](const DriverOps& d) { return fn(*d.gpio[index]); }, what);
    }

    unsigned num_lines() const { return static_cast<unsigned>(lines.size()); }
    // "line 3 (GPIO.3) of cp2112 [serial X]"
    std::string line_name(unsigned offset) const;

    struct LineState {
        bool used = false;
        std::string consumer;
        bool active_low = false;
    };
    std::mutex mu;
    std::vector<LineState> lines;
};

struct LineRequestCore {
    std::shared_ptr<GpioChipCore> chip;  // aliases the device record
    std::string consumer;
    std::vector<unsigned> offsets;
    std::vector<LineSettings> settings;
    uint64_t mask = 0;
    std::atomic<bool> released{false};
    // Set before the request is handed out, when any line has an edge.
    std::unique_ptr<EdgeSampler> edges;

    // Index of offset in offsets, or -1.
    int index_of(unsigned offset) const;
    void release();
    ~LineRequestCore() { release(); }
};

}  // namespace usbio::detail
