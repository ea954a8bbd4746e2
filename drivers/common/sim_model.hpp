// SPDX-License-Identifier: Apache-2.0
// A simulated chip as the generic simulated adapter drives it: the USB
// device model a sim transport plugs into, and the chip's side of the
// public fault and world hooks (usbio/sim.hpp). Each chip's model provides
// one; what a chip cannot simulate is a no-op (a chip without an EEPROM has
// empty contents).
//
// The object is the simulated hardware: it outlives unplug and re-plug.
// Hooks may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/sim_state.hpp"
#include "usbio/sim.hpp"
#include "usbio/usb/device_model.hpp"

namespace usbio::drivers {

class SimModel {
public:
    virtual ~SimModel() = default;

    // The device a sim transport talks to; the same object for the model's
    // life.
    virtual std::shared_ptr<usb::DeviceModel> device() const = 0;

    virtual void set_nack(uint8_t addr, bool nack) = 0;
    virtual void set_bus_stuck(bool stuck) = 0;
    virtual void malform_next_reports(sim::Malform kind, unsigned count) = 0;
    virtual void set_slow(std::chrono::microseconds extra_busy_time) = 0;

    virtual void set_input_level(unsigned line, int level) = 0;
    virtual int pin_level(unsigned line) const = 0;
    virtual std::vector<uint8_t> eeprom_contents() const = 0;
    virtual void set_temperature_millicelsius(int mc) = 0;

    // Saved state (common/sim_state.hpp): what the hardware keeps while it
    // stays powered (memories, pin levels, chip configuration) as records.
    // A model that keeps none fails with EOPNOTSUPP, so nothing is silently
    // lost.
    virtual Result<void> save_state(sim_state::Writer& out) const;
    // Takes this model's records from `in` and applies them only once all
    // are checked; EINVAL naming the line of anything wrong.
    virtual Result<void> load_state(sim_state::Reader& in);
};

}  // namespace usbio::drivers
