// SPDX-License-Identifier: Apache-2.0
#include "usbio/driver/provider.hpp"
#include "access.hpp"

#include <cerrno>

#include "context_core.hpp"
#include "eeprom_core.hpp"
#include "gpio_core.hpp"
#include "i2c_core.hpp"
#include "usbio/context.hpp"

namespace usbio::driver {

void DeviceLink::request_remove() const {
    if (auto c = core_.lock()) c->request_remove();
}

void DeviceLink::remove() const {
    if (auto c = core_.lock()) c->remove();
}

bool DeviceLink::alive() const {
    auto c = core_.lock();
    return c && c->state() == DeviceState::present;
}

bool DeviceLink::gone() const {
    auto c = core_.lock();
    return !c || c->state() == DeviceState::gone;
}

DeviceSlot::DeviceSlot(Context& ctx)
    : core_(std::make_shared<detail::DeviceCore>(detail::Access::core(ctx).weak_from_this())) {}

DeviceSlot::~DeviceSlot() = default;

DeviceLink DeviceSlot::link() const { return DeviceLink(core_); }

bool DeviceSlot::departed() const { return core_->departed(); }

void DeviceSlot::depends_on(const Device& supplier) { suppliers_.push_back(supplier); }

struct DeviceBuilder::Impl {
    std::shared_ptr<detail::DeviceCore> dev;
    std::vector<std::pair<EepromDesc, EepromOps*>> eeprom;
    DeviceInfo info;
    std::vector<std::pair<GpioChipDesc, GpioOps*>> gpio;
    std::vector<std::pair<I2cBusInfo, I2cOps*>> i2c;
    std::vector<Device> suppliers;
    std::vector<ConfigSpec> config_specs;
    ConfigOps* config = nullptr;
};

DeviceBuilder::DeviceBuilder(DeviceSlot& slot, DeviceInfo info) : impl_(std::make_unique<Impl>()) {
    impl_->dev = slot.core_;
    impl_->info = std::move(info);
    impl_->suppliers = slot.suppliers_;
}

DeviceBuilder::~DeviceBuilder() = default;

void DeviceBuilder::add_gpio_chip(GpioChipDesc desc, GpioOps& ops) { impl_->gpio.emplace_back(std::move(desc), &ops); }

void DeviceBuilder::add_i2c_bus(I2cBusInfo info, I2cOps& ops) { impl_->i2c.emplace_back(std::move(info), &ops); }

void DeviceBuilder::add_config(std::vector<ConfigSpec> specs, ConfigOps& ops) {
    impl_->config_specs = std::move(specs);
    impl_->config = &ops;
}

void DeviceBuilder::add_eeprom(EepromDesc desc, EepromOps& ops) { impl_->eeprom.emplace_back(std::move(desc), &ops); }

void DeviceBuilder::depends_on(const Device& supplier) { impl_->suppliers.push_back(supplier); }

Result<Device> DeviceBuilder::publish(std::unique_ptr<Provider> provider) {
    const auto& dev = impl_->dev;
    const std::string name = impl_->info.display_name();
    detail::DriverOps table;
    for (auto& g : impl_->gpio) table.gpio.push_back(g.second);
    for (auto& b : impl_->i2c) table.i2c.push_back(b.second);
    table.config = impl_->config;
    for (auto& e : impl_->eeprom) table.eeprom.push_back(e.second);
    dev->install(std::move(impl_->info), std::move(provider), std::move(table));
    for (std::size_t i = 0; i < impl_->gpio.size(); ++i)
        dev->gpio.push_back(std::make_unique<detail::GpioChipCore>(*dev, std::move(impl_->gpio[i].first), i));
    for (std::size_t i = 0; i < impl_->i2c.size(); ++i)
        dev->i2c.push_back(std::make_unique<detail::I2cBusCore>(*dev, std::move(impl_->i2c[i].first), i));
    for (std::size_t i = 0; i < impl_->eeprom.size(); ++i)
        dev->eeprom.push_back(std::make_unique<detail::EepromCore>(*dev, std::move(impl_->eeprom[i].first), i));
    dev->config_specs = std::move(impl_->config_specs);
    // A supplier already leaving takes this device with it: it never appears.
    bool supplier_gone = false;
    for (auto& s : impl_->suppliers) {
        const auto& supplier = detail::Access::core(s);
        if (!supplier || !supplier->add_consumer(dev)) supplier_gone = true;
    }
    if (supplier_gone) dev->request_remove();  // unpublished: only marks it departed
    if (!dev->publish()) return make_error(ENODEV, name + ": unplugged while being probed");
    return detail::Access::make<Device>(dev);
}

}  // namespace usbio::driver
