// SPDX-License-Identifier: Apache-2.0
#include "adapter_set.hpp"

#include <ostream>

#include "app.hpp"

namespace usbio::cli {

Context& App::context() {
    adapters.attach(false);
    return ctx;
}

AdapterSet::AdapterSet(Context& ctx, Plan plan, std::ostream& err) : ctx_(ctx), plan_(std::move(plan)), err_(err) {}

AdapterSet::~AdapterSet() {
    host_.reset();
    sims_.clear();
}

void AdapterSet::attach(bool hotplug) {
    if (attached_) return;
    attached_ = true;
    for (const auto& chip : plan_.sim_chips) sims_.push_back(check(sim::attach(ctx_, chip)));
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
    }
}

std::shared_ptr<sim::Adapter> AdapterSet::sim_of(const Device& dev) const {
    const DeviceInfo& info = dev.info();
    if (!info.simulated) return nullptr;
    for (const auto& s : sims_)
        if (s->serial() == info.serial) return s;
    return nullptr;
}

std::vector<usb::UnboundAdapter> AdapterSet::unbound() const {
    return host_ ? host_->unbound() : std::vector<usb::UnboundAdapter>{};
}

}  // namespace usbio::cli
