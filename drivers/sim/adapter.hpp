// SPDX-License-Identifier: Apache-2.0
// A simulated adapter of any chip in the driver table: the chip's model (the
// hardware, which keeps its EEPROM contents across unplug and re-plug) and,
// while plugged, a sim transport on each of its ports with the chip's real
// driver bound to each (one Device per port). Plug, unplug, re-plug and the
// transfer-level faults are the adapter's; chip-specific faults and world
// hooks go to the model.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/driver_entry.hpp"
#include "usbio/sim.hpp"
#include "usbio/usb/sim_transport.hpp"

namespace usbio::sim {

class SimAdapter final : public Adapter {
public:
    // `path` is the simulated port ("sim:N"); it stays the same across
    // re-plugs, as a real port does. The adapter must not be plugged after
    // `ctx` is destroyed.
    // `entry` is the chip's row in the driver table (with a probe and a
    // model factory); it outlives the adapter. Fails as the model's factory
    // does (EINVAL for a bad setting). The adapter starts unplugged.
    // `product` is one of the entry's (null: the first).
    static Result<std::shared_ptr<SimAdapter>> create(Context& ctx, const drivers::DriverEntry& entry,
                                                      const Options& options, std::string path,
                                                      const drivers::Product* product = nullptr);
    // `model` is the chip, made by entry.sim_model for `product`.
    SimAdapter(Context& ctx, const drivers::DriverEntry& entry, const drivers::Product& product,
               std::unique_ptr<drivers::SimModel> model, std::string serial, std::string path);
    // Leaves a plugged device in place: it stays until removed (or until
    // its Context goes).
    ~SimAdapter() override;

    std::string chip() const override { return chip_; }
    std::string serial() const override { return serial_; }
    bool plugged() const override;
    Result<Device> plug() override;
    std::vector<Device> devices() const override;
    void unplug() override;

    void unplug_at_transfer(uint64_t n) override;
    uint64_t transfer_count() const override;
    void set_nack(uint8_t addr, bool nack) override;
    void set_bus_stuck(bool stuck) override;
    Result<void> inject_fault(std::string_view name, unsigned count = 1) override;
    std::vector<std::string> faults() const override;
    void set_slow(std::chrono::microseconds extra_busy_time) override;

    void set_input_level(unsigned line, int level) override;
    int pin_level(unsigned line) const override;
    std::vector<uint8_t> eeprom_contents() const override;
    void set_temperature_millicelsius(int mc) override;

    Result<std::string> save_state() const override;
    Result<void> load_state(std::string_view text) override;

private:
    struct Cable;
    // One port while plugged: its transport and the device bound on it.
    struct Port {
        std::shared_ptr<usb::SimTransport> transport;
        Device device;
    };
    std::vector<std::shared_ptr<usb::SimTransport>> transports() const;
    // Waits for the previous plug-in's devices to be gone and lets go of
    // its transports (a transport detaches from its model when destroyed).
    Result<void> retire();

    Context& ctx_;
    const drivers::ProbeFn probe_;
    const std::string chip_;
    const std::string serial_;
    const std::string path_;
    const std::unique_ptr<drivers::SimModel> model_;
    const std::vector<std::shared_ptr<usb::DeviceModel>> port_models_;

    std::mutex plug_mu_;            // one plug() at a time
    mutable std::mutex mu_;         // guards the members below
    std::vector<Port> ports_;       // of the latest plug
    std::shared_ptr<Cable> cable_;  // of the latest plug
    uint64_t unplug_at_ = 0;        // asked for while unplugged: applies at the next plug
    bool plugged_before_ = false;   // (plug_mu_) plugs after the first are re-plugs: a reset
};

}  // namespace usbio::sim
