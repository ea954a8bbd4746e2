// SPDX-License-Identifier: Apache-2.0
// A simulated CP2112 adapter: the chip model (the hardware, which keeps its
// EEPROM contents across unplug and re-plug) and, while plugged, a sim
// transport on it with the real CP2112 driver bound.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "models/cp2112_model.hpp"
#include "usbio/sim.hpp"
#include "usbio/usb/sim_transport.hpp"

namespace usbio::sim {

class Cp2112Adapter final : public Adapter {
public:
    // `path` is the simulated port ("sim:N"); it stays the same across
    // re-plugs, as a real port does. The adapter must not be plugged after
    // `ctx` is destroyed.
    Cp2112Adapter(Context& ctx, const Options& options, std::string path);
    // Leaves a plugged device in place: it stays until removed (or until
    // its Context goes).
    ~Cp2112Adapter() override;

    std::string chip() const override { return "cp2112"; }
    std::string serial() const override { return serial_; }
    bool plugged() const override;
    Result<Device> plug() override;
    void unplug() override;

    void unplug_at_transfer(uint64_t n) override;
    uint64_t transfer_count() const override;
    void set_nack(uint8_t addr, bool nack) override;
    void set_bus_stuck(bool stuck) override;
    void malform_next_reports(Malform kind, unsigned count) override;
    void set_slow(std::chrono::microseconds extra_busy_time) override;

    void set_input_level(unsigned line, int level) override;
    int pin_level(unsigned line) const override;
    std::vector<uint8_t> eeprom_contents() const override;
    void set_temperature_millicelsius(int mc) override;

private:
    std::shared_ptr<usb::SimTransport> current() const;

    Context& ctx_;
    const std::string serial_;
    const std::string path_;
    const std::shared_ptr<models::Cp2112Model> model_;

    std::mutex plug_mu_;                            // one plug() at a time
    mutable std::mutex mu_;                         // guards the members below
    std::shared_ptr<usb::SimTransport> transport_;  // of the latest plug
    Device device_;                                 // of the latest plug
    uint64_t unplug_at_ = 0;                        // asked for while unplugged: applies at the next plug
};

}  // namespace usbio::sim
