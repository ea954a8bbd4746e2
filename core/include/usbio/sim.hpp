// SPDX-License-Identifier: Apache-2.0
// Simulated adapters: chip models that run in-process behind the sim USB
// transport, so every command and test works with no hardware.
//
// A SimAdapter is the simulated *hardware*: it survives unplug and re-plug
// (EEPROM contents stay), and it takes fault injection. The chip driver that
// talks to it is the same code that talks to a real chip.
//
// Implemented by the drivers library (drivers/sim); declared here because
// applications and tests use it through the public API only.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "usbio/context.hpp"
#include "usbio/export.hpp"

namespace usbio::sim {

struct Options {
    std::string serial;       // default: "SIM" + a 4-digit number unique in the process
    std::string state;        // saved state (Adapter::save_state) to start in; empty: new hardware
    bool with_eeprom = true;  // 24C32-style EEPROM at 0x50
    bool with_sensor = true;  // LM75-style temperature sensor at 0x48
    // Chip-specific settings of the simulated chip, name to value, as its
    // model reads them (a CP2112's "device-version": "1" has no repeated
    // START, "2" the default, "3" sends correct data with Auto Send Read on).
    // attach() fails with EINVAL naming an unknown setting or a bad value and
    // listing the chip's settings.
    std::map<std::string, std::string> settings;
};

class USBIO_EXPORT Adapter {
public:
    virtual ~Adapter() = default;

    virtual std::string chip() const = 0;  // "cp2112"
    virtual std::string serial() const = 0;
    virtual bool plugged() const = 0;

    // Connects the adapter to the Context it was attached to: the driver
    // probes it and the device appears (arrival event). No-op when plugged.
    // A chip with several ports makes one device per port; this returns the
    // first port's, devices() has them all.
    virtual Result<Device> plug() = 0;
    // The devices of the latest plug-in, one per port in interface order
    // ("sim0:1.0", "sim0:1.1"); empty before the first plug.
    virtual std::vector<Device> devices() const = 0;
    // Pulls the cable: every USB transfer from now on fails with "no device"
    // and the transport reports the departure, which starts the removal of
    // every port's device. Returns at once; use Device::wait_gone() or
    // events to wait for it.
    virtual void unplug() = 0;

    // Fault injection ------------------------------------------------------
    // Unplug when USB transfer number n (1-based, counted from this call)
    // is submitted; that transfer fails as on a real unplug. On a chip with
    // several ports each port counts its own; the first to reach n unplugs
    // the chip.
    virtual void unplug_at_transfer(uint64_t n) = 0;
    // USB transfers submitted since plug-in (all ports together).
    virtual uint64_t transfer_count() const = 0;
    // Target at addr stops (or resumes) acknowledging its address.
    virtual void set_nack(uint8_t addr, bool nack) = 0;
    // SDA/SCL held low by a broken target: transfers end in a bus timeout.
    virtual void set_bus_stuck(bool stuck) = 0;
    // The chip misbehaves in the way its fault `name` says, `count` times
    // (a CP2112's next input reports are broken: "short-report",
    // "bad-length", "bad-status", "wrong-report-id"). EINVAL naming the
    // fault and listing faults() for a name the chip does not know.
    virtual Result<void> inject_fault(std::string_view name, unsigned count = 1) = 0;
    // The fault names inject_fault() takes for this chip.
    virtual std::vector<std::string> faults() const = 0;
    // Every transfer status poll reports busy for this long before the
    // transfer completes: a slow target (clock stretching).
    virtual void set_slow(std::chrono::microseconds extra_busy_time) = 0;

    // Simulated-world access for tests ------------------------------------
    // Drives an input line from outside (as a wire would), 0 or 1.
    virtual void set_input_level(unsigned line, int level) = 0;
    // Level the chip currently drives (outputs) or sees (inputs) on a pin.
    virtual int pin_level(unsigned line) const = 0;
    // EEPROM contents and sensor temperature.
    virtual std::vector<uint8_t> eeprom_contents() const = 0;
    virtual void set_temperature_millicelsius(int mc) = 0;

    // Saved state ----------------------------------------------------------
    // What the simulated hardware keeps while powered (memories, pin levels,
    // chip configuration) as text: a version line, the chip, one record a
    // line, an end line. EOPNOTSUPP for a chip whose model keeps none.
    virtual Result<std::string> save_state() const = 0;
    // Puts the hardware into a saved state. EINVAL, the message naming the
    // line, for a wrong chip or version, a truncated text or a bad record;
    // nothing changes then. A bound driver is not told, as when the world
    // changes under a real chip, and what the chip keeps in RAM is lost at
    // the next plug, as on the hardware. For a driver that probes the loaded
    // hardware, pass the state to attach() in Options::state instead.
    virtual Result<void> load_state(std::string_view text) = 0;
};

// Creates a simulated adapter of the given chip ("cp2112") on ctx and plugs
// it in. Fails with EINVAL naming the supported chips for an unknown name,
// or as load_state() does for a bad options.state.
USBIO_EXPORT Result<std::shared_ptr<Adapter>> attach(Context& ctx, std::string_view chip, Options options = {});

// Chips that attach() knows.
USBIO_EXPORT std::vector<std::string> supported_chips();

}  // namespace usbio::sim
