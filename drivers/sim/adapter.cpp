// SPDX-License-Identifier: Apache-2.0
#include "sim/adapter.hpp"

#include <cerrno>
#include <utility>

#include "sim/shared_transport.hpp"
#include "usbio/driver/provider.hpp"

namespace usbio::sim {

namespace {

// How long plug() waits for the previous connection's removal to finish.
constexpr std::chrono::seconds kRetireLimit{10};

}  // namespace

Result<std::shared_ptr<SimAdapter>> SimAdapter::create(Context& ctx, const drivers::DriverEntry& entry,
                                                       const Options& options, std::string path) {
    auto model = entry.sim_model(options);
    if (!model) return model.error();
    return std::make_shared<SimAdapter>(ctx, entry, std::move(model).value(), options.serial, std::move(path));
}

SimAdapter::SimAdapter(Context& ctx, const drivers::DriverEntry& entry, std::unique_ptr<drivers::SimModel> model,
                       std::string serial, std::string path)
    : ctx_(ctx),
      probe_(entry.probe),
      chip_(entry.products.front().chip),
      serial_(std::move(serial)),
      path_(std::move(path)),
      model_(std::move(model)),
      device_model_(model_->device()) {}

SimAdapter::~SimAdapter() = default;

std::shared_ptr<usb::SimTransport> SimAdapter::current() const {
    std::lock_guard lk(mu_);
    return transport_;
}

bool SimAdapter::plugged() const {
    std::lock_guard lk(mu_);
    return transport_ && transport_->connected() && device_.present();
}

Result<Device> SimAdapter::plug() {
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

    // A new connection is a bus reset for the chip: RAM state (a CP2112's
    // GPIO and SMBus configuration, pending reports) is forgotten, the
    // EEPROM is not.
    device_model_->reset();
    auto transport = std::make_shared<usb::SimTransport>(device_model_, path_);
    uint64_t unplug_at = 0;
    {
        std::lock_guard lk(mu_);
        transport_ = transport;
        unplug_at = std::exchange(unplug_at_, 0);
    }
    if (unplug_at != 0) transport->unplug_at_transfer(unplug_at);

    driver::DeviceSlot slot(ctx_);
    transport->on_disconnect([link = slot.link()] { link.request_remove(); });

    auto published = probe_(slot, std::make_unique<SharedTransport>(transport));
    if (!published) return published.error();
    std::lock_guard lk(mu_);
    device_ = *published;
    return device_;
}

void SimAdapter::unplug() {
    if (auto t = current()) t->unplug();
}

void SimAdapter::unplug_at_transfer(uint64_t n) {
    std::lock_guard lk(mu_);
    if (transport_ && transport_->connected())
        transport_->unplug_at_transfer(n);
    else
        unplug_at_ = n;
}

uint64_t SimAdapter::transfer_count() const {
    auto t = current();
    return t ? t->transfer_count() : 0;
}

void SimAdapter::set_nack(uint8_t addr, bool nack) { model_->set_nack(addr, nack); }

void SimAdapter::set_bus_stuck(bool stuck) { model_->set_bus_stuck(stuck); }

Result<void> SimAdapter::inject_fault(std::string_view name, unsigned count) {
    if (model_->inject_fault(name, count)) return {};
    std::string known;
    for (const auto& f : model_->faults()) known += (known.empty() ? "" : ", ") + f;
    if (known.empty()) known = "this chip has none";
    return make_error(EINVAL,
                      chip_ + " [" + path_ + "]: unknown fault '" + std::string(name) + "' (faults: " + known + ")");
}

std::vector<std::string> SimAdapter::faults() const { return model_->faults(); }

void SimAdapter::set_slow(std::chrono::microseconds extra_busy_time) { model_->set_slow(extra_busy_time); }

void SimAdapter::set_input_level(unsigned line, int level) { model_->set_input_level(line, level); }

int SimAdapter::pin_level(unsigned line) const { return model_->pin_level(line); }

std::vector<uint8_t> SimAdapter::eeprom_contents() const { return model_->eeprom_contents(); }

void SimAdapter::set_temperature_millicelsius(int mc) { model_->set_temperature_millicelsius(mc); }

}  // namespace usbio::sim
