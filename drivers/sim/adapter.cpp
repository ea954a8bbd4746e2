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
                                                       const Options& options, std::string path,
                                                       const drivers::Product* product) {
    const drivers::Product& p = product ? *product : entry.products.front();
    auto model = entry.sim_model(p, options);
    if (!model) return model.error();
    return std::make_shared<SimAdapter>(ctx, entry, p, std::move(model).value(), options.serial, std::move(path));
}

SimAdapter::SimAdapter(Context& ctx, const drivers::DriverEntry& entry, const drivers::Product& product,
                       std::unique_ptr<drivers::SimModel> model, std::string serial, std::string path)
    : ctx_(ctx),
      probe_(entry.probe),
      chip_(product.chip),
      serial_(std::move(serial)),
      path_(std::move(path)),
      model_(std::move(model)),
      port_models_(model_->ports()) {}

// The transports of one plug-in. The chip leaves as a whole, so the first
// port to see the cable pulled (an unplug at the Nth transfer) pulls it for
// the others. The adapter lists a transport only while it holds it, and
// clears the list before letting go, so the pointers stay valid; the lock
// is only held around SimTransport::unplug(), which never blocks.
struct SimAdapter::Cable {
    std::mutex mu;
    std::vector<usb::SimTransport*> transports;

    void pull() {
        std::lock_guard lk(mu);
        for (auto* t : transports) t->unplug();
    }
    void clear() {
        std::lock_guard lk(mu);
        transports.clear();
    }
};

SimAdapter::~SimAdapter() {
    std::lock_guard lk(mu_);
    if (cable_) cable_->clear();
}

std::vector<std::shared_ptr<usb::SimTransport>> SimAdapter::transports() const {
    std::vector<std::shared_ptr<usb::SimTransport>> out;
    std::lock_guard lk(mu_);
    for (const auto& p : ports_) out.push_back(p.transport);
    return out;
}

bool SimAdapter::plugged() const {
    std::lock_guard lk(mu_);
    if (ports_.size() != port_models_.size()) return false;
    for (const auto& p : ports_)
        if (!p.transport->connected() || !p.device.present()) return false;
    return true;
}

std::vector<Device> SimAdapter::devices() const {
    std::vector<Device> out;
    std::lock_guard lk(mu_);
    for (const auto& p : ports_)
        if (p.device) out.push_back(p.device);
    return out;
}

Result<void> SimAdapter::retire() {
    std::vector<Port> old;
    std::shared_ptr<Cable> cable;
    {
        std::lock_guard lk(mu_);
        old = std::exchange(ports_, {});
        cable = std::exchange(cable_, nullptr);
    }
    // Every device must be gone (so its driver has let go of the transport)
    // before the transports go.
    for (const auto& p : old) {
        if (p.device && !p.device.wait_gone(kRetireLimit)) {
            Error e =
                make_error(EBUSY, p.device.info().display_name() + ": still being removed; cannot plug again yet");
            std::lock_guard lk(mu_);
            ports_ = std::move(old);
            cable_ = std::move(cable);
            return e;
        }
    }
    if (cable) cable->clear();
    return {};
}

Result<Device> SimAdapter::plug() {
    std::lock_guard pl(plug_mu_);
    if (plugged()) {
        std::lock_guard lk(mu_);
        return ports_.front().device;
    }
    if (auto r = retire(); !r) return r.error();

    // A new connection is a bus reset for the chip: RAM state (a CP2112's
    // GPIO and SMBus configuration, pending reports) is forgotten, the
    // EEPROM is not. The first plug finds the hardware as it was made or
    // loaded (Options::state). Every port is connected before any is
    // probed, so the cable reaches them all from the first transfer on.
    const bool replug = std::exchange(plugged_before_, true);
    auto cable = std::make_shared<Cable>();
    std::vector<Port> ports;
    for (const auto& m : port_models_) {
        if (replug) m->reset();
        ports.push_back({std::make_shared<usb::SimTransport>(m, path_), Device()});
        cable->transports.push_back(ports.back().transport.get());
    }
    uint64_t unplug_at = 0;
    {
        std::lock_guard lk(mu_);
        ports_ = ports;
        cable_ = cable;
        unplug_at = std::exchange(unplug_at_, 0);
    }
    for (auto& p : ports)
        if (unplug_at != 0) p.transport->unplug_at_transfer(unplug_at);

    // Each port's core record exists before its probe, and its transport
    // reports the departure there: an unplug at any point reaches it.
    for (std::size_t i = 0; i < ports.size(); ++i) {
        driver::DeviceSlot slot(ctx_);
        ports[i].transport->on_disconnect([link = slot.link(), cable] {
            link.request_remove();
            cable->pull();
        });
        auto published = probe_(slot, std::make_unique<SharedTransport>(ports[i].transport));
        if (!published) {
            // The chip is not usable as a whole: take the ports already up
            // down with it.
            cable->pull();
            return published.error();
        }
        std::lock_guard lk(mu_);
        ports_[i].device = *published;
    }
    std::lock_guard lk(mu_);
    return ports_.front().device;
}

void SimAdapter::unplug() {
    std::shared_ptr<Cable> cable;
    {
        std::lock_guard lk(mu_);
        cable = cable_;
    }
    if (cable) cable->pull();
}

void SimAdapter::unplug_at_transfer(uint64_t n) {
    std::lock_guard lk(mu_);
    bool connected = !ports_.empty();
    for (const auto& p : ports_) connected = connected && p.transport->connected();
    if (!connected) {
        unplug_at_ = n;
        return;
    }
    for (const auto& p : ports_) p.transport->unplug_at_transfer(n);
}

uint64_t SimAdapter::transfer_count() const {
    uint64_t n = 0;
    for (const auto& t : transports()) n += t->transfer_count();
    return n;
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

Result<std::string> SimAdapter::save_state() const {
    drivers::sim_state::Writer out;
    if (auto saved = model_->save_state(out); !saved) return saved.error();
    return drivers::sim_state::frame(chip_, out);
}

Result<void> SimAdapter::load_state(std::string_view text) {
    auto in = drivers::sim_state::unframe(text, chip_);
    if (!in) return in.error();
    return model_->load_state(*in);
}

}  // namespace usbio::sim
