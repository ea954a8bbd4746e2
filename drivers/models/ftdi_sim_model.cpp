// SPDX-License-Identifier: Apache-2.0
#include "models/ftdi_sim_model.hpp"

namespace usbio::models {

namespace {

// Driver line n: ADBUS3..7 (pins 3-7), then ACBUS0..7 (pins 8-15).
unsigned pin_of(unsigned line) { return line + 3; }

class FtdiPortSimModel final : public drivers::SimModel {
public:
    FtdiPortSimModel(std::shared_ptr<FtdiChipModel> chip, unsigned port) : chip_(std::move(chip)), port_(port) {}

    std::shared_ptr<usb::DeviceModel> device() const override { return chip_->port(port_); }

    void set_nack(uint8_t addr, bool nack) override { chip_->bus(port_)->set_nack(addr, nack); }
    void set_bus_stuck(bool stuck) override { chip_->bus(port_)->set_stuck(stuck); }
    // Report-shaped faults become the MPSSE's own: a packet shorter than
    // its status bytes, or a bad-command echo in the reply stream.
    void malform_next_reports(sim::Malform kind, unsigned count) override {
        if (kind == sim::Malform::short_report) {
            chip_->truncate_next_packet(port_);
            return;
        }
        for (unsigned i = 0; i < count; ++i) chip_->inject_bad_command(port_, 0xAB);
    }
    // The MPSSE has no busy status to stretch: a no-op.
    void set_slow(std::chrono::microseconds) override {}

    void set_input_level(unsigned line, int level) override { chip_->set_external(port_, pin_of(line), level); }
    int pin_level(unsigned line) const override {
        const unsigned pin = pin_of(line);
        return pin < 16 ? (chip_->pin_levels(port_) >> pin) & 1 : 0;
    }
    std::vector<uint8_t> eeprom_contents() const override {
        auto e = chip_->eeprom(port_);
        return e ? e->contents() : std::vector<uint8_t>{};
    }
    void set_temperature_millicelsius(int mc) override {
        if (auto s = chip_->sensor(port_)) s->set_temperature_millicelsius(mc);
    }

private:
    const std::shared_ptr<FtdiChipModel> chip_;
    const unsigned port_;
};

}  // namespace

std::unique_ptr<drivers::SimModel> make_ftdi_port_sim_model(std::shared_ptr<FtdiChipModel> chip, unsigned port) {
    return std::make_unique<FtdiPortSimModel>(std::move(chip), port);
}

std::vector<std::unique_ptr<drivers::SimModel>> make_ftdi_sim_models(FtdiKind kind, const sim::Options& options) {
    FtdiOptions o;
    o.kind = kind;
    o.serial = options.serial;
    o.with_eeprom = options.with_eeprom;
    o.with_sensor = options.with_sensor;
    auto chip = std::make_shared<FtdiChipModel>(o);
    std::vector<std::unique_ptr<drivers::SimModel>> ports;
    for (unsigned i = 0; i < chip->ports(); ++i) ports.push_back(make_ftdi_port_sim_model(chip, i));
    return ports;
}

std::unique_ptr<drivers::SimModel> make_ft232h_sim_model(const sim::Options& options) {
    return std::move(make_ftdi_sim_models(FtdiKind::ft232h, options).front());
}

}  // namespace usbio::models
