// SPDX-License-Identifier: Apache-2.0
// The FTDI model's saved state, as records (common/sim_state.hpp), for each
// MPSSE port P (A, B):
//
//   pins P mpsse=1 low-value=0x00 low-dir=0x00 high-value=0x00 high-dir=0x00
//       drive-zero-low=0x00 drive-zero-high=0x00
//       the pin bytes as the last user left them (the driver sets them up
//       again when it opens the port: the chip cannot tell it which pins
//       were outputs)
//   outside P adbus=-------- acbus=--------
//       what the world drives on each pin, pin 7 first: '-' nothing (the
//       pull-up wins), '0' or '1'
//   i2c-bus P stuck=0
//       1: a broken target holds SDA low
//   then the port's targets: eeprom P 0x50 ... and lm75 P 0x48 (target_state.cpp)
#include <optional>
#include <string>
#include <vector>

#include "models/ftdi_model.hpp"

namespace usbio::models {

namespace state = drivers::sim_state;

namespace {

std::string port_name(unsigned port) { return std::string(1, static_cast<char>('A' + port)); }

// Pins 7..0 of one byte of `external`, from index `first`.
std::string outside_word(const std::array<int, 16>& external, unsigned first) {
    std::string w;
    for (int pin = 7; pin >= 0; --pin) {
        const int level = external[first + static_cast<unsigned>(pin)];
        w += level < 0 ? '-' : static_cast<char>('0' + level);
    }
    return w;
}

void read_outside(const state::Record& r, const char* key, unsigned first, std::array<int, 16>& external) {
    const std::string w = r.field(key);
    if (w.size() != 8) throw state::Bad(r, std::string(key) + "=" + w + ": expected 8 of '-', '0', '1', pin 7 first");
    for (unsigned i = 0; i < 8; ++i) {
        const char c = w[i];
        if (c != '-' && c != '0' && c != '1')
            throw state::Bad(r, std::string(key) + "=" + w + ": expected 8 of '-', '0', '1', pin 7 first");
        external[first + 7 - i] = c == '-' ? -1 : c - '0';
    }
}

}  // namespace

void FtdiChipModel::save_state(state::Writer& out) const {
    for (unsigned port = 0; port < ports(); ++port) {
        const std::string name = port_name(port);
        const MpssePins p = pins(port);
        out.comment("MPSSE port " + name + ": pin bytes, what the world drives on each pin (pin 7 first), the bus");
        out.record({"pins", name, "mpsse=" + std::to_string(int(p.mpsse)), "low-value=" + state::hex(p.low_value, 2),
                    "low-dir=" + state::hex(p.low_dir, 2), "high-value=" + state::hex(p.high_value, 2),
                    "high-dir=" + state::hex(p.high_dir, 2), "drive-zero-low=" + state::hex(p.od_low, 2),
                    "drive-zero-high=" + state::hex(p.od_high, 2)});
        out.record({"outside", name, "adbus=" + outside_word(p.external, 0), "acbus=" + outside_word(p.external, 8)});
        out.record({"i2c-bus", name, std::string("stuck=") + (bus(port)->stuck() ? "1" : "0")});
        if (auto e = eeprom(port)) e->save_state(out, kEepromAddress, name);
        if (auto s = sensor(port)) s->save_state(out, kSensorAddress, name);
    }
}

void FtdiChipModel::load_state(state::Reader& in) {
    struct Loaded {
        MpssePins pins;
        bool stuck = false;
        std::optional<Eeprom24cxx::Saved> eeprom;
        std::optional<Lm75::Saved> sensor;
    };
    std::vector<Loaded> loaded(ports());
    for (unsigned port = 0; port < ports(); ++port) {
        const std::string name = port_name(port);
        Loaded& l = loaded[port];
        const state::Record& p = in.one({"pins", name});
        l.pins.mpsse = p.number("mpsse", 1) == 1;
        l.pins.low_value = uint8_t(p.number("low-value", 0xFF));
        l.pins.low_dir = uint8_t(p.number("low-dir", 0xFF));
        l.pins.high_value = uint8_t(p.number("high-value", 0xFF));
        l.pins.high_dir = uint8_t(p.number("high-dir", 0xFF));
        l.pins.od_low = uint8_t(p.number("drive-zero-low", 0xFF));
        l.pins.od_high = uint8_t(p.number("drive-zero-high", 0xFF));
        const state::Record& o = in.one({"outside", name});
        read_outside(o, "adbus", 0, l.pins.external);
        read_outside(o, "acbus", 8, l.pins.external);
        l.stuck = in.one({"i2c-bus", name}).number("stuck", 1) == 1;
        if (auto e = eeprom(port)) l.eeprom = e->read_state(in, kEepromAddress, name);
        if (sensor(port)) l.sensor = Lm75::read_state(in, kSensorAddress, name);
    }
    in.finish();

    // Everything checked: now the hardware changes.
    for (unsigned port = 0; port < ports(); ++port) {
        Loaded& l = loaded[port];
        restore_pins(port, l.pins);
        bus(port)->set_stuck(l.stuck);
        if (l.eeprom) eeprom(port)->restore(std::move(*l.eeprom));
        if (l.sensor) sensor(port)->restore(*l.sensor);
    }
}

}  // namespace usbio::models
