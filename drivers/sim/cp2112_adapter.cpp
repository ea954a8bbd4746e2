// SPDX-License-Identifier: Apache-2.0
#include "sim/cp2112_adapter.hpp"

#include <utility>

#include "cp2112/probe.hpp"
#include "sim/shared_transport.hpp"
#include "usbio/driver/departure_latch.hpp"

namespace usbio::sim {

namespace {

models::Cp2112Options model_options(const Options& o, const std::string& serial) {
    models::Cp2112Options m;
    m.serial = serial;
    m.device_version = o.device_version;
    m.with_eeprom = o.with_eeprom;
    m.with_sensor = o.with_sensor;
    return m;
}

models::Cp2112Malform to_model(Malform kind) {
    switch (kind) {
    case Malform::short_report: return models::Cp2112Malform::short_report;
    case Malform::bad_length: return models::Cp2112Malform::bad_length;
    case Malform::bad_status: return models::Cp2112Malform::bad_status;
    case Malform::wrong_report_id: return models::Cp2112Malform::wrong_report_id;
    }
    return models::Cp2112Malform::short_report;
}

// How long plug() waits for the previous connection's removal to finish.
constexpr std::chrono::seconds kRetireLimit{10};

}  // namespace

Cp2112Adapter::Cp2112Adapter(Context& ctx, const Options& options, std::string path)
    : ctx_(ctx),
      serial_(options.serial),
      path_(std::move(path)),
      model_(std::make_shared<models::Cp2112Model>(model_options(options, options.serial))) {}

Cp2112Adapter::~Cp2112Adapter() = default;

std::shared_ptr<usb::SimTransport> Cp2112Adapter::current() const {
    std::lock_guard lk(mu_);
    return transport_;
}

bool Cp2112Adapter::plugged() const {
    std::lock_guard lk(mu_);
    return transport_ && transport_->connected() && device_.present();
}

Result<Device> Cp2112Adapter::plug() {
    std::lock_guard pl(plug_mu_);
    if (plugged()) {
        std::lock_guard lk(mu_);
        return device_;
    }
    // The previous connection is retired first: its device must be gone
    // (so its driver has let go of the transport) and its transport
    // destroyed before a new one attaches to the model, because a transport
    // detaches itself from the model when it is destroyed.
    Device old_device;
    std::shared_ptr<usb::SimTransport> old_transport;
    {
        std::lock_guard lk(mu_);
        old_device = std::exchange(device_, Device());
        old_transport = std::move(transport_);
    }
    if (old_device && !old_device.wait_gone(kRetireLimit)) {
        Error e = make_error(EBUSY, old_device.info().display_name() + ": still being removed; cannot plug again yet");
        std::lock_guard lk(mu_);
        device_ = std::move(old_device);
        transport_ = std::move(old_transport);
        return e;
    }
    old_transport.reset();

    // A new connection is a bus reset for the chip: RAM state (GPIO and
    // SMBus configuration, pending reports) is forgotten, the EEPROM is not.
    model_->reset();
    auto transport = std::make_shared<usb::SimTransport>(model_, path_);
    uint64_t unplug_at = 0;
    {
        std::lock_guard lk(mu_);
        transport_ = transport;
        unplug_at = std::exchange(unplug_at_, 0);
    }
    if (unplug_at != 0) transport->unplug_at_transfer(unplug_at);

    auto departure = std::make_shared<driver::DepartureLatch>();
    transport->on_disconnect([departure] { departure->report(); });

    auto published = cp2112::probe(ctx_, std::make_unique<SharedTransport>(transport));
    if (!published) return published.error();
    departure->set_link(published->link);
    std::lock_guard lk(mu_);
    device_ = published->device;
    return device_;
}

void Cp2112Adapter::unplug() {
    if (auto t = current()) t->unplug();
}

void Cp2112Adapter::unplug_at_transfer(uint64_t n) {
    std::lock_guard lk(mu_);
    if (transport_ && transport_->connected())
        transport_->unplug_at_transfer(n);
    else
        unplug_at_ = n;
}

uint64_t Cp2112Adapter::transfer_count() const {
    auto t = current();
    return t ? t->transfer_count() : 0;
}

void Cp2112Adapter::set_nack(uint8_t addr, bool nack) { model_->set_nack(addr, nack); }

void Cp2112Adapter::set_bus_stuck(bool stuck) { model_->set_bus_stuck(stuck); }

void Cp2112Adapter::malform_next_reports(Malform kind, unsigned count) {
    model_->malform_next_reports(to_model(kind), count);
}

void Cp2112Adapter::set_slow(std::chrono::microseconds extra_busy_time) { model_->set_slow(extra_busy_time); }

void Cp2112Adapter::set_input_level(unsigned line, int level) { model_->set_input_level(line, level); }

int Cp2112Adapter::pin_level(unsigned line) const { return model_->pin_level(line); }

std::vector<uint8_t> Cp2112Adapter::eeprom_contents() const { return model_->eeprom_contents(); }

void Cp2112Adapter::set_temperature_millicelsius(int mc) { model_->set_temperature_millicelsius(mc); }

}  // namespace usbio::sim
