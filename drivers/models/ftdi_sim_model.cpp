// SPDX-License-Identifier: Apache-2.0
#include "models/ftdi_sim_model.hpp"

#include "models/eeprom_settings.hpp"

#include <cerrno>
#include <string>

namespace usbio::models {

namespace {

// Driver line n: ADBUS3..7 (pins 3-7), then ACBUS0..7 (pins 8-15).
unsigned pin_of(unsigned line) { return line + 3; }

constexpr unsigned kPortA = 0;
constexpr std::string_view kShortPacket = "short-packet";
constexpr std::string_view kBadCommand = "bad-command";

class FtdiSimModel final : public drivers::SimModel {
public:
    explicit FtdiSimModel(std::shared_ptr<FtdiChipModel> chip) : chip_(std::move(chip)) {}

    std::vector<std::shared_ptr<usb::DeviceModel>> ports() const override {
        std::vector<std::shared_ptr<usb::DeviceModel>> out;
        for (unsigned i = 0; i < chip_->ports(); ++i) out.push_back(chip_->port(i));
        return out;
    }

    void set_nack(uint8_t addr, bool nack) override { chip_->bus(kPortA)->set_nack(addr, nack); }
    void set_bus_stuck(bool stuck) override { chip_->bus(kPortA)->set_stuck(stuck); }
    std::vector<std::string> faults() const override { return {std::string(kShortPacket), std::string(kBadCommand)}; }
    bool inject_fault(std::string_view name, unsigned count) override {
        if (name == kShortPacket) {
            for (unsigned i = 0; i < count; ++i) chip_->truncate_next_packet(kPortA);
            return true;
        }
        if (name == kBadCommand) {
            for (unsigned i = 0; i < count; ++i) chip_->inject_bad_command(kPortA, 0xAB);
            return true;
        }
        return false;
    }
    // The MPSSE has no busy status to stretch: a no-op.
    void set_slow(std::chrono::microseconds) override {}

    void set_input_level(unsigned line, int level) override { chip_->set_external(kPortA, pin_of(line), level); }
    int pin_level(unsigned line) const override {
        const unsigned pin = pin_of(line);
        return pin < 16 ? (chip_->pin_levels(kPortA) >> pin) & 1 : 0;
    }
    std::vector<uint8_t> eeprom_contents() const override {
        auto e = chip_->eeprom(kPortA);
        return e ? e->contents() : std::vector<uint8_t>{};
    }
    void set_temperature_millicelsius(int mc) override {
        if (auto s = chip_->sensor(kPortA)) s->set_temperature_millicelsius(mc);
    }

private:
    const std::shared_ptr<FtdiChipModel> chip_;
};

}  // namespace

constexpr drivers::SimSetting kSettings[] = {kEepromPartSetting, kEepromWriteCycleSetting};

std::unique_ptr<drivers::SimModel> make_ftdi_sim_model(FtdiKind kind, const sim::Options& options,
                                                       const Eeprom24cxxConfig& eeprom) {
    FtdiOptions o;
    o.eeprom_part = eeprom;
    o.eeprom_write_cycle = eeprom.write_cycle;
    o.kind = kind;
    o.serial = options.serial;
    o.with_eeprom = options.with_eeprom;
    o.with_sensor = options.with_sensor;
    return make_ftdi_sim_model(std::make_shared<FtdiChipModel>(o));
}

std::unique_ptr<drivers::SimModel> make_ftdi_sim_model(std::shared_ptr<FtdiChipModel> chip) {
    return std::make_unique<FtdiSimModel>(std::move(chip));
}

Result<std::unique_ptr<drivers::SimModel>> make_ftdi_product_sim_model(const drivers::Product& product,
                                                                       const sim::Options& options) {
    if (auto ok = drivers::check_sim_settings(product.chip, options, kSettings); !ok) return ok.error();
    auto eeprom = sim_eeprom_config(product.chip, options, kSettings);
    if (!eeprom) return eeprom.error();
    const std::string chip = product.chip;
    FtdiKind kind = FtdiKind::ft232h;
    if (chip == "ft2232h")
        kind = FtdiKind::ft2232h;
    else if (chip == "ft4232h")
        kind = FtdiKind::ft4232h;
    else if (chip != "ft232h")
        return make_error(EINVAL, "simulated ftdi: no model of '" + chip + "'");
    return make_ftdi_sim_model(kind, options, *eeprom);
}

}  // namespace usbio::models
