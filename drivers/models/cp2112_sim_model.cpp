// SPDX-License-Identifier: Apache-2.0
#include "models/cp2112_sim_model.hpp"

#include <cerrno>

#include "models/cp2112_model.hpp"
#include "models/eeprom_settings.hpp"

namespace usbio::models {

namespace {

constexpr std::string_view kChip = "cp2112";
constexpr drivers::SimSetting kSettings[] = {
    {"device-version", "1 (no repeated START), 2 (default) or 3 (Auto Send Read fixed)"},
    kEepromPartSetting,
    kEepromWriteCycleSetting,
};

// The model's input-report faults by their public names.
struct Fault {
    std::string_view name;
    Cp2112Malform kind;
};
constexpr Fault kFaults[] = {
    {"short-report", Cp2112Malform::short_report},
    {"bad-length", Cp2112Malform::bad_length},
    {"bad-status", Cp2112Malform::bad_status},
    {"wrong-report-id", Cp2112Malform::wrong_report_id},
};

Result<Cp2112Options> model_options(const sim::Options& o) {
    if (auto ok = drivers::check_sim_settings(kChip, o, kSettings); !ok) return ok.error();
    Cp2112Options m;
    m.serial = o.serial;
    m.with_eeprom = o.with_eeprom;
    m.with_sensor = o.with_sensor;
    auto eeprom = sim_eeprom_config(kChip, o, kSettings);
    if (!eeprom) return eeprom.error();
    m.eeprom_part = *eeprom;
    m.eeprom_write_cycle = eeprom->write_cycle;
    if (auto it = o.settings.find("device-version"); it != o.settings.end()) {
        const std::string& v = it->second;
        if (v != "1" && v != "2" && v != "3") return drivers::bad_sim_setting(kChip, it->first, v, kSettings);
        m.device_version = uint8_t(v[0] - '0');
    }
    return m;
}

class Cp2112SimModel final : public drivers::SimModel {
public:
    explicit Cp2112SimModel(std::shared_ptr<Cp2112Model> model) : model_(std::move(model)) {}

    std::vector<std::shared_ptr<usb::DeviceModel>> ports() const override { return {model_}; }

    void set_nack(uint8_t addr, bool nack) override { model_->set_nack(addr, nack); }
    void set_bus_stuck(bool stuck) override { model_->set_bus_stuck(stuck); }
    std::vector<std::string> faults() const override {
        std::vector<std::string> out;
        for (const auto& f : kFaults) out.emplace_back(f.name);
        return out;
    }
    bool inject_fault(std::string_view name, unsigned count) override {
        for (const auto& f : kFaults) {
            if (f.name != name) continue;
            model_->malform_next_reports(f.kind, count);
            return true;
        }
        return false;
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
        return drivers::sim_state::load_checked([&] { model_->load_state(in); });
    }

private:
    const std::shared_ptr<Cp2112Model> model_;
};

}  // namespace

Result<std::unique_ptr<drivers::SimModel>> make_cp2112_sim_model(const drivers::Product&, const sim::Options& options) {
    auto o = model_options(options);
    if (!o) return o.error();
    return make_cp2112_sim_model(std::make_shared<Cp2112Model>(*o));
}

std::unique_ptr<drivers::SimModel> make_cp2112_sim_model(std::shared_ptr<Cp2112Model> model) {
    return std::make_unique<Cp2112SimModel>(std::move(model));
}

}  // namespace usbio::models
