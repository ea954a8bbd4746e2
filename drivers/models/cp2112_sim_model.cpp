// SPDX-License-Identifier: Apache-2.0
#include "models/cp2112_sim_model.hpp"

#include <cerrno>

#include "models/cp2112_model.hpp"

namespace usbio::models {

namespace {

Cp2112Options model_options(const sim::Options& o) {
    Cp2112Options m;
    m.serial = o.serial;
    m.device_version = o.device_version;
    m.with_eeprom = o.with_eeprom;
    m.with_sensor = o.with_sensor;
    return m;
}

Cp2112Malform to_model(sim::Malform kind) {
    switch (kind) {
    case sim::Malform::short_report: return Cp2112Malform::short_report;
    case sim::Malform::bad_length: return Cp2112Malform::bad_length;
    case sim::Malform::bad_status: return Cp2112Malform::bad_status;
    case sim::Malform::wrong_report_id: return Cp2112Malform::wrong_report_id;
    }
    return Cp2112Malform::short_report;
}

class Cp2112SimModel final : public drivers::SimModel {
public:
    explicit Cp2112SimModel(const sim::Options& o) : model_(std::make_shared<Cp2112Model>(model_options(o))) {}

    std::shared_ptr<usb::DeviceModel> device() const override { return model_; }

    void set_nack(uint8_t addr, bool nack) override { model_->set_nack(addr, nack); }
    void set_bus_stuck(bool stuck) override { model_->set_bus_stuck(stuck); }
    void malform_next_reports(sim::Malform kind, unsigned count) override {
        model_->malform_next_reports(to_model(kind), count);
    }
    void set_slow(std::chrono::microseconds extra_busy_time) override { model_->set_slow(extra_busy_time); }

    void set_input_level(unsigned line, int level) override { model_->set_input_level(line, level); }
    int pin_level(unsigned line) const override { return model_->pin_level(line); }
    std::vector<uint8_t> eeprom_contents() const override { return model_->eeprom_contents(); }
    void set_temperature_millicelsius(int mc) override { model_->set_temperature_millicelsius(mc); }

    Result<void> save_state(drivers::sim_state::Writer& out) const override {
        model_->save_state(out);
        return {};
    }
    Result<void> load_state(drivers::sim_state::Reader& in) override {
        try {
            model_->load_state(in);
            return {};
        } catch (const drivers::sim_state::Bad& e) {
            return make_error(EINVAL, e.what());
        }
    }

private:
    const std::shared_ptr<Cp2112Model> model_;
};

}  // namespace

std::unique_ptr<drivers::SimModel> make_cp2112_sim_model(const sim::Options& options) {
    return std::make_unique<Cp2112SimModel>(options);
}

}  // namespace usbio::models
