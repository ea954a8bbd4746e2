// SPDX-License-Identifier: Apache-2.0
#include "ftdi_bench.hpp"

#include <chrono>

#include "models/ftdi_model.hpp"

namespace usbio::vbench {
namespace {

constexpr unsigned kLines = 13;

// usbio's line n as the model's pin number (bit n of pin_levels).
unsigned model_pin(unsigned line) { return line < 5 ? 3 + line : 8 + (line - 5); }

std::string ftdi_world(models::FtdiChipModel& m, const std::vector<std::string>& w) {
    long a = 0, b = 0;
    const bool one = w.size() == 2 && world_number(w[1], a);
    const bool two = w.size() == 3 && world_number(w[1], a) && world_number(w[2], b);
    if (w[0] == "temperature" && one) {
        m.sensor(0)->set_temperature_millicelsius(int(a));
    } else if (w[0] == "input" && two && a >= 0 && a < long(kLines) && b >= -1 && b <= 1) {
        m.set_external(0, model_pin(unsigned(a)), int(b));
    } else if (w[0] == "nack" && two && a >= 0 && a < 0x80) {
        m.bus(0)->set_nack(uint8_t(a), b != 0);
    } else {
        return "error: unknown or malformed command (ft232h: temperature, input, nack)";
    }
    return "ok";
}

}  // namespace

std::shared_ptr<usb::DeviceModel> make_ft232h(const BenchOptions& o, std::function<void()>& after_change,
                                              BenchDevice::World& world, std::string& error) {
    for (const auto& [from, to] : o.jumpers) {
        if (from >= kLines || to >= kLines || from == to) {
            error = "jumper " + std::to_string(from) + ":" + std::to_string(to) +
                    " is not between two different lines 0..12";
            return nullptr;
        }
    }
    if (!o.eeprom_part.empty() || o.device_version) {
        error = "--eeprom-part and --device-version are CP2112 options; ft232h has neither";
        return nullptr;
    }
    models::FtdiOptions options;
    options.kind = models::FtdiKind::ft232h;
    options.serial = o.serial;
    if (o.eeprom_write_ms >= 0) options.eeprom_write_cycle = std::chrono::milliseconds(o.eeprom_write_ms);
    // The ports share the chip's state; the hooks below keep the chip.
    auto chip = std::make_shared<models::FtdiChipModel>(options);
    if (!o.jumpers.empty()) {
        after_change = [chip, jumpers = o.jumpers] {
            const uint16_t levels = chip->pin_levels(0);
            for (const auto& [from, to] : jumpers)
                chip->set_external(0, model_pin(to), (levels >> model_pin(from)) & 1);
        };
    }
    world = [chip](const std::vector<std::string>& w) { return ftdi_world(*chip, w); };
    return chip->port(0);
}

}  // namespace usbio::vbench
