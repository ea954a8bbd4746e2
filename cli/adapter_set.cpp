// SPDX-License-Identifier: Apache-2.0
#include "adapter_set.hpp"

#include <strings.h>

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "app.hpp"
#include "clients.hpp"

namespace usbio::cli {

namespace {

// Where libusb opens USB devices on Linux.
constexpr const char* kUsbfs = "/dev/bus/usb";

}  // namespace

Context& App::context() {
    attach(false);
    return ctx;
}

void App::attach(bool hotplug) {
    adapters.attach(hotplug);
    if (set_up) return;
    set_up = true;
    bind_clients(*this);
    if (setup.sim_unplug_after) adapters.unplug_sims_after(*setup.sim_unplug_after);
}

void AdapterSet::unplug_sims_after(uint64_t transfers) {
    for (const auto& s : sims_) s->unplug_at_transfer(transfers + 1);
}

AdapterSet::AdapterSet(Context& ctx, Plan plan, std::ostream& err) : ctx_(ctx), plan_(std::move(plan)), err_(err) {}

AdapterSet::~AdapterSet() {
    host_.reset();
    sims_.clear();
    state_file_.reset();
}

void AdapterSet::attach(bool hotplug) {
    if (attached_) return;
    attached_ = true;
    std::vector<std::string> states(plan_.sim_chips.size());
    if (!plan_.sim_state.empty()) {
        state_file_ = std::make_unique<SimStateFile>(plan_.sim_state, sim_state_wait(), err_);
        states = state_file_->states(plan_.sim_chips.size());
    }
    for (std::size_t i = 0; i < plan_.sim_chips.size(); ++i) {
        sim::Options options;
        options.state = states[i];
        auto sim = sim::attach(ctx_, plan_.sim_chips[i], options);
        // A known chip refused with EINVAL was refused for its state.
        const auto known = sim::supported_chips();
        const auto same = [&](const std::string& k) { return strcasecmp(k.c_str(), plan_.sim_chips[i].c_str()) == 0; };
        if (!sim && !options.state.empty() && sim.code() == std::errc::invalid_argument &&
            std::any_of(known.begin(), known.end(), same))
            throw Failure(state_file_->path() + ": " + message_of(sim.error()), sim.error().code);
        sims_.push_back(check(std::move(sim)));
    }
    state_loaded_ = state_file_ != nullptr;
    if (!plan_.usb) return;
    auto host = usb::attach(ctx_, usb::Options{.hotplug = hotplug});
    if (!host) {
        if (plan_.verbose) err_ << "usbio: note: no real adapters: " << message_of(host.error()) << "\n";
        return;
    }
    host_ = std::move(host).value();
    if (plan_.verbose) {
        std::size_t real = 0;
        for (const auto& d : ctx_.devices()) real += d.info().simulated ? 0 : 1;
        const char* watch = host_->watch() == usb::Watch::hotplug   ? ", watching with hotplug events"
                            : host_->watch() == usb::Watch::polling ? ", watching by re-enumeration"
                                                                    : "";
        err_ << "usbio: note: real adapters: " << real << " usable, " << host_->unbound().size() << " not usable"
             << watch << "\n";
        // libusb finds no device, and says nothing, when usbfs is missing
        // (a container the host's USB bus was not passed into).
        std::error_code ec;
        if (real == 0 && host_->unbound().empty() && !std::filesystem::exists(kUsbfs, ec))
            err_ << "usbio: note: no usbfs at " << kUsbfs
                 << ": libusb can see no USB device here (in a container, pass the host's " << kUsbfs << " in)\n";
    }
}

std::shared_ptr<sim::Adapter> AdapterSet::sim_of(const Device& dev) const {
    const DeviceInfo& info = dev.info();
    if (!info.simulated) return nullptr;
    for (const auto& s : sims_)
        if (s->serial() == info.serial) return s;
    return nullptr;
}

void AdapterSet::save_sim_state() {
    if (!state_loaded_) return;  // nothing loaded: the file stays as it is
    std::vector<std::string> states;
    for (const auto& s : sims_) {
        auto saved = s->save_state();
        if (!saved) throw Failure(state_file_->path() + ": " + message_of(saved.error()), saved.error().code);
        states.push_back(std::move(saved).value());
    }
    state_file_->save(states);
}

std::vector<usb::UnboundAdapter> AdapterSet::unbound() const {
    return host_ ? host_->unbound() : std::vector<usb::UnboundAdapter>{};
}

}  // namespace usbio::cli
