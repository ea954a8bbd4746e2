// SPDX-License-Identifier: Apache-2.0
// The CP2112 model's saved state, as records (common/sim_state.hpp):
//
//   gpio 3 direction=output drive=push-pull latch=1 outside=1
//       one per pin 0..7; `latch` is the output latch, `outside` the level
//       the world puts on the pin (pull-ups: 1 when nothing drives it)
//   gpio-functions special=0x00 clock-divider=0
//       special-function bits (0x01 clock out on GPIO.7, 0x02 TX LED on
//       GPIO.0, 0x04 RX LED on GPIO.1) and the GPIO.7 clock divider
//   smbus bit-rate=100000 own-address=0x02 auto-send-read=0
//       write-timeout-ms=0 read-timeout-ms=0 scl-low-timeout=0 retry-limit=0
//   prom lock=0xff vid=0x10c4 pid=0xea90 power-2ma=50 power-mode=0
//       release=0.0 manufacturer=... product=... serial=...
//       the one-time programmable USB customisation (strings as
//       sim_state::text_word writes them); optional: without it the chip
//       is as it left the factory, so files from before it still load
//   then the targets: eeprom/eeprom-row 0x50 and lm75 0x48 (target_state.cpp)
//   and, optional (files from before them still load), pca9555 0x20 and
//   pcf8574 0x38
//
// Making a new record required bumps sim_state::kVersion, so older files
// fail clearly instead of loading wrong.
#include <array>

#include "models/cp2112_model.hpp"

namespace usbio::models {

namespace state = drivers::sim_state;
using namespace cp2112;

namespace {

const char* bit(uint8_t mask, unsigned pin) { return (mask >> pin) & 1u ? "1" : "0"; }

uint8_t with_bit(uint8_t mask, unsigned pin, bool on) {
    return on ? uint8_t(mask | (1u << pin)) : uint8_t(mask & ~(1u << pin));
}

}  // namespace

void Cp2112Model::save_state(state::Writer& out) const {
    Gpio::Saved g;
    SmbusConfig c;
    {
        std::lock_guard lock(mu_);
        g = gpio_.saved();
        c = smbus_;
    }
    out.comment("GPIO pins: direction, drive, output latch, level from outside (1 = pulled up)");
    for (unsigned pin = 0; pin < Gpio::kPins; ++pin)
        out.record({"gpio", std::to_string(pin), (g.direction >> pin) & 1u ? "direction=output" : "direction=input",
                    (g.drive >> pin) & 1u ? "drive=push-pull" : "drive=open-drain",
                    std::string("latch=") + bit(g.latch, pin), std::string("outside=") + bit(g.external, pin)});
    out.record({"gpio-functions", "special=" + state::hex(g.special, 2), "clock-divider=" + std::to_string(g.divider)});
    out.comment("SMBus configuration (feature report 0x06)");
    out.record({"smbus", "bit-rate=" + std::to_string(c.clock_hz), "own-address=" + state::hex(c.own_address, 2),
                "auto-send-read=" + std::to_string(int(c.auto_send_read)),
                "write-timeout-ms=" + std::to_string(c.write_timeout_ms),
                "read-timeout-ms=" + std::to_string(c.read_timeout_ms),
                "scl-low-timeout=" + std::to_string(int(c.scl_low_timeout)),
                "retry-limit=" + std::to_string(c.retry_limit)});
    const PromFields p = prom();
    out.comment("One-time programmable USB customisation (lock: a 1 bit is a field not yet programmed)");
    out.record({"prom", "lock=" + state::hex(p.lock, 2), "vid=" + state::hex(p.vid, 4), "pid=" + state::hex(p.pid, 4),
                "power-2ma=" + std::to_string(p.power_2ma), "power-mode=" + std::to_string(p.power_mode),
                "release-major=" + std::to_string(p.release_major), "release-minor=" + std::to_string(p.release_minor),
                "manufacturer=" + state::text_word(p.manufacturer), "product=" + state::text_word(p.product),
                "serial=" + state::text_word(p.serial)});
    if (eeprom_) {
        out.comment("24C32 EEPROM: rows of 16 bytes; rows not listed are erased (ff)");
        eeprom_->save_state(out, kEepromAddress);
    }
    if (sensor_) {
        out.comment("LM75 temperature sensor");
        sensor_->save_state(out, kSensorAddress);
    }
    if (expander_) {
        out.comment("GPIO expanders: registers or latch, and what the world drives on their pins");
        expander_->save_state(out, kExpanderAddress);
        pcf_->save_state(out, kPcfAddress);
    }
}

void Cp2112Model::load_state(state::Reader& in) {
    Gpio::Saved g;
    for (unsigned pin = 0; pin < Gpio::kPins; ++pin) {
        const state::Record& r = in.one({"gpio", std::to_string(pin)});
        g.direction = with_bit(g.direction, pin, r.choice("direction", {"input", "output"}) == 1);
        g.drive = with_bit(g.drive, pin, r.choice("drive", {"open-drain", "push-pull"}) == 1);
        g.latch = with_bit(g.latch, pin, r.number("latch", 1) == 1);
        g.external = with_bit(g.external, pin, r.number("outside", 1) == 1);
    }
    const state::Record& f = in.one({"gpio-functions"});
    g.special = uint8_t(f.number("special", 0x07));
    g.divider = uint8_t(f.number("clock-divider", 0xFF));

    const state::Record& s = in.one({"smbus"});
    SmbusConfig c;
    c.clock_hz = uint32_t(s.number("bit-rate", UINT32_MAX));
    if (c.clock_hz == 0) throw state::Bad(s, "bit-rate=0: the chip needs a bit rate above 0");
    c.own_address = uint8_t(s.number("own-address", 0xFF));
    c.auto_send_read = s.number("auto-send-read", 1) == 1;
    c.write_timeout_ms = uint16_t(s.number("write-timeout-ms", kMaxTimeoutMs));
    c.read_timeout_ms = uint16_t(s.number("read-timeout-ms", kMaxTimeoutMs));
    c.scl_low_timeout = s.number("scl-low-timeout", 1) == 1;
    c.retry_limit = uint16_t(s.number("retry-limit", kMaxRetries));

    std::optional<PromFields> prom;
    if (const auto records = in.all({"prom"}); !records.empty()) {
        const state::Record& r = *records.front();
        if (records.size() > 1) throw state::Bad(*records[1], "a second prom record");
        PromFields p;
        p.lock = uint8_t(r.number("lock", 0xFF));
        p.vid = uint16_t(r.number("vid", 0xFFFF));
        p.pid = uint16_t(r.number("pid", 0xFFFF));
        p.power_2ma = uint8_t(r.number("power-2ma", 0xFF));
        p.power_mode = uint8_t(r.number("power-mode", 2));
        p.release_major = uint8_t(r.number("release-major", 0xFF));
        p.release_minor = uint8_t(r.number("release-minor", 0xFF));
        p.manufacturer = r.text("manufacturer");
        p.product = r.text("product");
        p.serial = r.text("serial");
        for (const auto& [key, text] : {std::pair{"manufacturer", &p.manufacturer}, std::pair{"product", &p.product},
                                        std::pair{"serial", &p.serial}})
            if (text->size() > kMaxStringChars)
                throw state::Bad(r, std::string(key) + " is longer than the chip's " + std::to_string(kMaxStringChars) +
                                        " characters");
        prom = std::move(p);
    }

    std::optional<Eeprom24cxx::Saved> eeprom;
    if (eeprom_) eeprom = eeprom_->read_state(in, kEepromAddress);
    std::optional<Lm75::Saved> sensor;
    if (sensor_) sensor = Lm75::read_state(in, kSensorAddress);
    std::optional<Pca953x::Saved> expander;
    std::optional<Pcf857x::Saved> pcf;
    if (expander_) {
        expander = expander_->read_state(in, kExpanderAddress);
        pcf = pcf_->read_state(in, kPcfAddress);
    }
    in.finish();

    // Everything checked: now the hardware changes.
    {
        std::lock_guard lock(mu_);
        gpio_.restore(g);
        smbus_ = c;
    }
    if (prom) set_prom(std::move(*prom));
    if (eeprom) eeprom_->restore(std::move(*eeprom));
    if (sensor) sensor_->restore(*sensor);
    if (expander) expander_->restore(*expander);
    if (pcf) pcf_->restore(*pcf);
}

}  // namespace usbio::models
