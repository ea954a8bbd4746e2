// SPDX-License-Identifier: Apache-2.0
// Device::config / set_config: names and permanence are checked here against
// the specs the driver registered; the driver only reads and writes values.
#include <algorithm>
#include <cerrno>

#include "device_core.hpp"
#include "usbio/device.hpp"

namespace usbio {

namespace {

std::string known_names(const std::vector<driver::ConfigSpec>& specs) {
    if (specs.empty()) return "it has no configuration settings";
    std::string s = "settings: ";
    for (std::size_t i = 0; i < specs.size(); ++i) s += (i ? ", " : "") + specs[i].name;
    return s;
}

// Index of `name` in the specs, or an EINVAL naming the settings there are.
Result<std::size_t> find_spec(const detail::DeviceCore& dev, std::string_view name) {
    const auto& specs = dev.config_specs;
    auto it = std::find_if(specs.begin(), specs.end(), [&](const auto& s) { return s.name == name; });
    if (it == specs.end())
        return make_error(EINVAL, dev.info().display_name() + ": no setting '" + std::string(name) + "' (" +
                                      known_names(specs) + ")");
    return static_cast<std::size_t>(it - specs.begin());
}

ConfigSetting make_setting(const driver::ConfigSpec& spec, driver::ConfigValue v) {
    ConfigSetting s;
    s.name = spec.name;
    s.value = std::move(v.value);
    s.description = spec.description;
    s.allowed = spec.allowed;
    s.writable = spec.writable;
    s.permanent = spec.permanent;
    s.locked = spec.permanent && v.locked;
    return s;
}

}  // namespace

Result<std::vector<ConfigSetting>> Device::config() const {
    if (!core_) return make_error(ENODEV, "empty device handle");
    detail::DeviceCore& dev = *core_;
    std::vector<driver::ConfigValue> values;
    if (dev.config_specs.empty()) {
        if (dev.state() != DeviceState::present) return dev.gone_error("reading the configuration");
        return std::vector<ConfigSetting>{};
    }
    auto r = dev.call(
        [&](const detail::DriverOps& ops) {
            if (auto ec = ops.config->read_config(values)) return ec;
            // A driver that answers with the wrong count is a driver bug;
            // it must not become a read past the end.
            return values.size() == dev.config_specs.size() ? std::error_code{}
                                                            : std::error_code(EPROTO, std::generic_category());
        },
        [] { return std::string("reading the configuration"); });
    if (!r) return r.error();
    std::vector<ConfigSetting> out;
    out.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) out.push_back(make_setting(dev.config_specs[i], values[i]));
    return out;
}

Result<ConfigSetting> Device::config(std::string_view name) const {
    if (!core_) return make_error(ENODEV, "empty device handle");
    auto index = find_spec(*core_, name);
    if (!index) return index.error();
    auto all = config();
    if (!all) return all.error();
    return std::move(all.value()[index.value()]);
}

Result<void> Device::set_config(std::string_view name, std::string_view value, Permanence permanence) {
    if (!core_) return make_error(ENODEV, "empty device handle");
    detail::DeviceCore& dev = *core_;
    const std::string who = dev.info().display_name();
    auto index = find_spec(dev, name);
    if (!index) return index.error();
    const driver::ConfigSpec& spec = dev.config_specs[index.value()];
    if (!spec.writable) return make_error(EPERM, who + ": " + spec.name + " is read-only");
    if (spec.permanent && permanence != Permanence::permanent)
        return make_error(EPERM, who + ": " + spec.name +
                                     " is one-time programmable: writing it cannot be undone, so it must be "
                                     "asked for as permanent");
    const std::string what = "setting " + spec.name + " to '" + std::string(value) + "'";
    auto r = dev.call([&](const detail::DriverOps& ops) { return ops.config->write_config(index.value(), value); },
                      [&] { return what; });
    if (r || dev.state() != DeviceState::present) return r;
    // Word the driver's errno in terms of the setting.
    switch (r.error().code.value()) {
    case EINVAL:
        return make_error(EINVAL, who + ": " + what + ": invalid value; " + spec.name + " takes " + spec.allowed);
    case EACCES:
        return make_error(EACCES, who + ": " + what + ": " + spec.name +
                                      " is locked (the chip's lock byte says it is programmed already)");
    default: return r;
    }
}

}  // namespace usbio
