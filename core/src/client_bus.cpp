// SPDX-License-Identifier: Apache-2.0
// A client's view of its adapter's bus: each transfer is one guarded call on
// the adapter (its guard held for that transfer only), limited to the
// client's addresses, and ENODEV without touching the adapter once the
// client is aborted.
#include <algorithm>
#include <atomic>
#include <cstdio>

#include "access.hpp"
#include "i2c_core.hpp"
#include "usbio/driver/client.hpp"

namespace usbio::driver {

namespace {

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

// This thread's last failed transfer, in the adapter's words.
thread_local std::string t_detail;

std::string hex_addr(unsigned a) {
    char b[8];
    std::snprintf(b, sizeof b, "0x%02x", a);
    return b;
}

class CoreClientBus final : public ClientBus {
public:
    CoreClientBus(std::shared_ptr<detail::I2cBusCore> bus, uint16_t addr, unsigned count, std::string name)
        : bus_(std::move(bus)), addr_(addr), count_(count), name_(std::move(name)) {}

    ~CoreClientBus() override {
        std::lock_guard lk(bus_->clients_mu);
        std::erase_if(bus_->client_addrs, [this](uint16_t a) { return a >= addr_ && a < addr_ + count_; });
    }

    const I2cBusInfo& info() const override { return bus_->info; }
    uint16_t address() const override { return addr_; }
    const std::string& name() const override { return name_; }

    std::error_code transfer(std::span<I2cMsg> msgs) override {
        t_detail.clear();
        if (aborted_.load(std::memory_order_acquire)) return err(ENODEV);
        for (const auto& m : msgs) {
            if ((m.flags & I2cMsg::ten_bit) || m.addr < addr_ || m.addr >= addr_ + count_) {
                t_detail = name_ + ": message to " + hex_addr(m.addr) + ", outside the client's addresses";
                return err(EINVAL);
            }
        }
        auto r = bus_->transfer(msgs);
        if (r) return {};
        t_detail = r.error().message;
        return r.error().code;
    }

    std::string failure_detail() override { return t_detail; }

    void abort() noexcept override { aborted_.store(true, std::memory_order_release); }

private:
    const std::shared_ptr<detail::I2cBusCore> bus_;  // aliases the adapter's record
    const uint16_t addr_;
    const unsigned count_;
    const std::string name_;
    std::atomic<bool> aborted_{false};
};

}  // namespace

Result<std::unique_ptr<ClientBus>> open_client_bus(const I2cBus& bus, uint16_t addr, unsigned count, std::string name) {
    const auto& core = detail::Access::core(bus);
    if (!core) return make_error(ENODEV, name + ": empty i2c bus handle");
    if (core->dev.state() != DeviceState::present) return core->dev.gone_error("binding " + name);
    count = std::max(count, 1u);
    {
        std::lock_guard lk(core->clients_mu);
        for (uint16_t a = addr; a < addr + count; ++a)
            if (std::find(core->client_addrs.begin(), core->client_addrs.end(), a) != core->client_addrs.end())
                return make_error(EBUSY, name + ": address " + hex_addr(a) + " is already bound to a client");
        for (uint16_t a = addr; a < addr + count; ++a) core->client_addrs.push_back(a);
    }
    return std::unique_ptr<ClientBus>(std::make_unique<CoreClientBus>(core, addr, count, std::move(name)));
}

}  // namespace usbio::driver
