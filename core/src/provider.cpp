// SPDX-License-Identifier: Apache-2.0
#include "usbio/driver/provider.hpp"
#include "access.hpp"

#include "context_core.hpp"
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

struct DeviceBuilder::Impl {
    Context* ctx;
    DeviceInfo info;
    std::vector<std::pair<GpioChipDesc, GpioOps*>> gpio;
    std::vector<std::pair<I2cBusInfo, I2cOps*>> i2c;
    std::vector<Device> suppliers;
    std::vector<ConfigSpec> config_specs;
    ConfigOps* config = nullptr;
};

DeviceBuilder::DeviceBuilder(Context& ctx, DeviceInfo info) : impl_(std::make_unique<Impl>()) {
    impl_->ctx = &ctx;
    impl_->info = std::move(info);
}

DeviceBuilder::~DeviceBuilder() = default;

void DeviceBuilder::add_gpio_chip(GpioChipDesc desc, GpioOps& ops) { impl_->gpio.emplace_back(std::move(desc), &ops); }

void DeviceBuilder::add_i2c_bus(I2cBusInfo info, I2cOps& ops) { impl_->i2c.emplace_back(std::move(info), &ops); }

void DeviceBuilder::add_config(std::vector<ConfigSpec> specs, ConfigOps& ops) {
    impl_->config_specs = std::move(specs);
    impl_->config = &ops;
}

void DeviceBuilder::depends_on(const Device& supplier) { impl_->suppliers.push_back(supplier); }

DeviceBuilder::Published DeviceBuilder::publish(std::unique_ptr<Provider> provider) {
    auto& ctx_core = detail::Access::core(*impl_->ctx);
    detail::DriverOps table;
    table.provider = provider.get();
    for (auto& g : impl_->gpio) table.gpio.push_back(g.second);
    for (auto& b : impl_->i2c) table.i2c.push_back(b.second);
    table.config = impl_->config;
    auto dev = std::make_shared<detail::DeviceCore>(ctx_core.weak_from_this(), std::move(impl_->info),
                                                    std::move(provider), std::move(table));
    for (std::size_t i = 0; i < impl_->gpio.size(); ++i)
        dev->gpio.push_back(std::make_unique<detail::GpioChipCore>(*dev, std::move(impl_->gpio[i].first), i));
    for (std::size_t i = 0; i < impl_->i2c.size(); ++i)
        dev->i2c.push_back(std::make_unique<detail::I2cBusCore>(*dev, std::move(impl_->i2c[i].first), i));
    dev->config_specs = std::move(impl_->config_specs);
    for (auto& s : impl_->suppliers)
        if (const auto& supplier = detail::Access::core(s)) supplier->add_consumer(dev);
    ctx_core.add(dev);
    return Published{detail::Access::make<Device>(dev), DeviceLink(dev)};
}

}  // namespace usbio::driver
