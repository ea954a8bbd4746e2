// SPDX-License-Identifier: Apache-2.0
// The adapters of one run: the simulated ones --sim asks for and, unless
// --no-usb, the real ones on the machine.
//
// Index order (what `usbio list` shows and every command accepts): simulated
// adapters first, in command-line order, then real adapters in the order USB
// enumeration lists them. Simulated indexes therefore never depend on what
// is plugged into the machine.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "sim_state_file.hpp"
#include "usbio/usbio.hpp"

namespace usbio::cli {

class AdapterSet {
public:
    struct Plan {
        std::vector<std::string> sim_chips;
        bool usb = true;        // false with --no-usb
        bool verbose = false;   // -v: say why there are no real adapters
        std::string sim_state;  // --sim-state FILE; empty: none
    };

    // `ctx` must outlive this set.
    AdapterSet(Context& ctx, Plan plan, std::ostream& err);
    // Removes the real adapters (the USB host stops) before the simulated
    // ones are let go; the Context, destroyed last, removes what is left.
    ~AdapterSet();
    AdapterSet(const AdapterSet&) = delete;
    AdapterSet& operator=(const AdapterSet&) = delete;

    // Attaches everything, once; later calls do nothing. With hotplug the
    // real adapters stay watched (arrivals and departures) until the set is
    // destroyed; without it the machine is enumerated once. When USB cannot
    // be used at all (no libusb, no /dev/bus/usb) there are simply no real
    // adapters; -v prints the reason as a note.
    void attach(bool hotplug);
    bool attached() const noexcept { return attached_; }

    // Whether --sim asked for any simulated adapter (known before attach()).
    bool wants_sims() const noexcept { return !plan_.sim_chips.empty(); }
    const std::vector<std::shared_ptr<sim::Adapter>>& sims() const noexcept { return sims_; }
    // The simulated adapter behind dev; null for a real one.
    std::shared_ptr<sim::Adapter> sim_of(const Device& dev) const;
    // Pulls the cable of every simulated adapter once it has carried this
    // many more USB transfers: the next one fails as on a real unplug.
    void unplug_sims_after(uint64_t transfers);
    // Real adapters found but not bound, in the order they were found.
    std::vector<usb::UnboundAdapter> unbound() const;

    // With --sim-state, once attached: writes the simulated adapters' state
    // back to the file (locked since attach(); the lock ends with the set).
    void save_sim_state();

private:
    Context& ctx_;
    Plan plan_;
    std::ostream& err_;
    bool attached_ = false;
    std::vector<std::shared_ptr<sim::Adapter>> sims_;
    std::shared_ptr<usb::Host> host_;
    std::unique_ptr<SimStateFile> state_file_;  // with --sim-state, from attach()
    bool state_loaded_ = false;                 // every simulated adapter attached with its state
};

}  // namespace usbio::cli
