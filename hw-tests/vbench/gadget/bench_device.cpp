// SPDX-License-Identifier: Apache-2.0
#include "bench_device.hpp"

#include <cerrno>
#include <cstdlib>
#include <optional>

#include <linux/usb/functionfs.h>

#include "ftdi_bench.hpp"
#include "models/cp2112_model.hpp"
#include "models/eeprom_24cxx.hpp"

namespace usbio::vbench {
namespace {

constexpr unsigned kCp2112Pins = 8;

std::optional<models::Cp2112Malform> malform_kind(const std::string& s) {
    if (s == "short") return models::Cp2112Malform::short_report;
    if (s == "length") return models::Cp2112Malform::bad_length;
    if (s == "status") return models::Cp2112Malform::bad_status;
    if (s == "id") return models::Cp2112Malform::wrong_report_id;
    return std::nullopt;
}

std::string cp2112_world(models::Cp2112Model& m, const std::vector<std::string>& w) {
    long a = 0, b = 0;
    const bool one = w.size() == 2 && world_number(w[1], a);
    const bool two = w.size() == 3 && world_number(w[1], a) && world_number(w[2], b);
    if (w[0] == "temperature" && one) {
        m.set_temperature_millicelsius(int(a));
    } else if (w[0] == "input" && two && a >= 0 && a < long(kCp2112Pins)) {
        m.set_input_level(unsigned(a), b != 0);
    } else if (w[0] == "nack" && two && a >= 0 && a < 0x80) {
        m.set_nack(uint8_t(a), b != 0);
    } else if (w[0] == "stuck" && one) {
        m.set_bus_stuck(a != 0);
    } else if (w[0] == "slow" && one && a >= 0) {
        m.set_slow(std::chrono::microseconds(a));
    } else if (w[0] == "malform" && (w.size() == 2 || (w.size() == 3 && world_number(w[2], b) && b > 0))) {
        const auto kind = malform_kind(w[1]);
        if (!kind) return "error: malform wants short, length, status or id";
        m.malform_next_reports(*kind, w.size() == 3 ? unsigned(b) : 1u);
    } else {
        return "error: unknown or malformed command";
    }
    return "ok";
}

std::unique_ptr<usb::DeviceModel> make_cp2112(const BenchOptions& o, std::function<void()>& after_change,
                                              BenchDevice::World& world, std::string& error) {
    for (const auto& [from, to] : o.jumpers) {
        if (from >= kCp2112Pins || to >= kCp2112Pins || from == to) {
            error =
                "jumper " + std::to_string(from) + ":" + std::to_string(to) + " is not between two different pins 0..7";
            return nullptr;
        }
    }
    models::Cp2112Options options;
    options.serial = o.serial;
    if (!o.eeprom_part.empty()) {
        auto part = models::eeprom_24cxx_part(o.eeprom_part);
        if (!part) {
            error = "unknown EEPROM part '" + o.eeprom_part + "' (" + models::eeprom_24cxx_parts() + ")";
            return nullptr;
        }
        options.eeprom_part = *part;
    }
    if (o.device_version) {
        if (*o.device_version < 1 || *o.device_version > 3) {
            error = "device version " + std::to_string(*o.device_version) + " is not 1, 2 or 3";
            return nullptr;
        }
        options.device_version = uint8_t(*o.device_version);
    }
    if (o.eeprom_write_ms >= 0) options.eeprom_write_cycle = std::chrono::milliseconds(o.eeprom_write_ms);
    auto model = std::make_unique<models::Cp2112Model>(options);
    if (!o.jumpers.empty()) {
        after_change = [m = model.get(), jumpers = o.jumpers] {
            for (const auto& [from, to] : jumpers) m->set_input_level(to, m->pin_level(from));
        };
    }
    world = [m = model.get()](const std::vector<std::string>& w) { return cp2112_world(*m, w); };
    return model;
}

}  // namespace

bool world_number(const std::string& s, long& out) {
    if (s.empty()) return false;
    char* end = nullptr;
    errno = 0;
    out = std::strtol(s.c_str(), &end, 0);
    return errno == 0 && *end == '\0';
}

std::unique_ptr<BenchDevice> BenchDevice::make(const BenchOptions& options, std::string& error) {
    std::unique_ptr<BenchDevice> device;
    std::function<void()> after_change;
    World world;
    if (options.model == "cp2112") {
        // A HID interface: every request the chip takes has recipient
        // interface, which FunctionFS forwards without extra flags.
        auto model = make_cp2112(options, after_change, world, error);
        if (!model) return nullptr;
        device.reset(new BenchDevice(std::move(model), 0, std::move(after_change), std::move(world)));
    } else if (options.model == "ft232h") {
        // Vendor requests to the device (recipient device, wIndex = port):
        // FunctionFS passes them on only with ALL_CTRL_RECIP.
        auto model = make_ft232h(options, after_change, world, error);
        if (!model) return nullptr;
        device.reset(
            new BenchDevice(std::move(model), FUNCTIONFS_ALL_CTRL_RECIP, std::move(after_change), std::move(world)));
    } else {
        error = "unknown model '" + options.model + "' (known: cp2112, ft232h)";
        return nullptr;
    }
    if (!options.counters.empty() && !(device->counters_ = TrafficCounters::create(options.counters, error)))
        return nullptr;
    return device;
}

std::vector<uint8_t> BenchDevice::device_descriptor() const { return model_->device_descriptor(); }

std::vector<uint8_t> BenchDevice::config_descriptor() const { return model_->config_descriptor(); }

usb::DeviceIdentity BenchDevice::identity() const { return model_->identity(); }

usb::ControlReply BenchDevice::control(const usb::ControlSetup& setup, std::span<const uint8_t> out) {
    std::lock_guard lock(mu_);
    auto reply = model_->control(setup, out);
    if (after_change_) after_change_();
    return reply;
}

void BenchDevice::setup_received() { count(TrafficCounters::Kind::control); }

bool BenchDevice::out_packet(uint8_t endpoint, std::span<const uint8_t> data, bool last) {
    std::lock_guard lock(mu_);
    count(TrafficCounters::Kind::out);
    if (last) count(TrafficCounters::Kind::out_transfer);
    const bool taken = model_->out_packet(endpoint, data);
    if (after_change_) after_change_();
    return taken;
}

std::optional<std::vector<uint8_t>> BenchDevice::in_packet(uint8_t endpoint) {
    std::lock_guard lock(mu_);
    auto packet = model_->in_packet(endpoint);
    if (packet) count(TrafficCounters::Kind::in);
    return packet;
}

void BenchDevice::reset() {
    std::lock_guard lock(mu_);
    model_->reset();
}

std::string BenchDevice::world(const std::vector<std::string>& words) {
    if (words.empty()) return "ok";
    std::lock_guard lock(mu_);
    return world_ ? world_(words) : "error: this chip has no world commands";
}

void BenchDevice::set_in_ready_notifier(std::function<void()> notify) {
    model_->set_in_ready_notifier(std::move(notify));
}

}  // namespace usbio::vbench
