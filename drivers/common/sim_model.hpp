// SPDX-License-Identifier: Apache-2.0
// A simulated chip as the generic simulated adapter drives it: the USB
// device model a sim transport plugs into, and the chip's side of the
// public fault and world hooks (usbio/sim.hpp). Each chip's model provides
// one; what a chip cannot simulate is a no-op (a chip without an EEPROM has
// empty contents).
//
// Chip-specific things stay behind this interface, named by strings: the
// settings a model reads from sim::Options::settings (checked by its
// factory with check_sim_settings()) and the faults it can inject.
//
// A chip with several ports (an FT2232H's MPSSE ports A and B) is one
// SimModel with one usb::DeviceModel per port: ports() lists them in the
// order of the product's interfaces, and each port's identity() names only
// its own interface (number and configuration). The simulated adapter
// plugs a sim transport onto each and binds the driver to each, so every
// port is its own Device ("sim0:1.0", "sim0:1.1"), as on real USB; the
// ports share the chip's state through the SimModel. Unplugging is for the
// chip as a whole: all ports leave together.
//
// The object is the simulated hardware: it outlives unplug and re-plug.
// Hooks may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/sim_state.hpp"
#include "usbio/sim.hpp"
#include "usbio/usb/device_model.hpp"

namespace usbio::drivers {

class SimModel {
public:
    virtual ~SimModel() = default;

    // The devices sim transports talk to, one per port (a one-port chip has
    // one); the same objects for the model's life.
    virtual std::vector<std::shared_ptr<usb::DeviceModel>> ports() const = 0;

    virtual void set_nack(uint8_t addr, bool nack) = 0;
    virtual void set_bus_stuck(bool stuck) = 0;
    // The chip's fault names (sim::Adapter::inject_fault); empty when it has none.
    virtual std::vector<std::string> faults() const = 0;
    // False for a name not in faults().
    virtual bool inject_fault(std::string_view name, unsigned count) = 0;
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

// One setting a model reads from sim::Options::settings.
struct SimSetting {
    std::string_view name;    // "device-version"
    std::string_view values;  // what it takes, for messages: "1 or 2"
};

// EINVAL "simulated <chip>: unknown setting 'x' (settings: ...)" for a
// setting the model does not read; the list names each with its values.
Result<void> check_sim_settings(std::string_view chip, const sim::Options& options, std::span<const SimSetting> known);
// EINVAL "simulated <chip>: setting 'name' cannot be 'value' (settings: ...)".
Error bad_sim_setting(std::string_view chip, std::string_view name, std::string_view value,
                      std::span<const SimSetting> known);

}  // namespace usbio::drivers
