// SPDX-License-Identifier: Apache-2.0
// A simulated CP2112 (or FT232H) whose model the test keeps, so that it can
// drive and read the expander models on the adapter's bus, and the binding
// of an expander driver to an address on that bus.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <memory>
#include <string>
#include <system_error>

#include "common/client_entry.hpp"
#include "cp2112/entry.hpp"
#include "ftdi/entry.hpp"
#include "models/cp2112_sim_model.hpp"
#include "models/ftdi_sim_model.hpp"
#include "pca953x/entry.hpp"
#include "pcf857x/entry.hpp"
#include "sim/adapter.hpp"
#include "usbio/usbio.hpp"

namespace usbio::test {

inline std::error_code errc(int e) { return std::error_code(e, std::generic_category()); }

// The adapter's bus through its public I2cBus handle, as a client sees it.
class HandleClientBus final : public driver::ClientBus {
public:
    HandleClientBus(I2cBus bus, uint16_t addr, std::string name)
        : bus_(std::move(bus)), info_(bus_.info()), addr_(addr), name_(std::move(name)) {}
    const I2cBusInfo& info() const override { return info_; }
    uint16_t address() const override { return addr_; }
    const std::string& name() const override { return name_; }
    std::error_code transfer(std::span<I2cMsg> msgs) override {
        if (aborted_.load()) return errc(ENODEV);
        auto r = bus_.transfer(msgs);
        if (r) return {};
        detail() = r.error().message;
        return r.code();
    }
    std::string failure_detail() override { return detail(); }
    void abort() noexcept override { aborted_.store(true); }

private:
    static std::string& detail() {
        thread_local std::string d;
        return d;
    }
    I2cBus bus_;
    const I2cBusInfo info_;
    const uint16_t addr_;
    const std::string name_;
    std::atomic<bool> aborted_{false};
};

struct Rig {
    // `device_version` 1: a CP2112 without repeated START.
    explicit Rig(bool ftdi = false, uint8_t device_version = 2) {
        static const drivers::DriverEntry cp2112 = cp2112::driver_entry();
        static const drivers::DriverEntry ft = ftdi::driver_entry();
        std::unique_ptr<drivers::SimModel> sim;
        const drivers::DriverEntry* entry = &cp2112;
        if (ftdi) {
            ftdi_model = std::make_shared<models::FtdiChipModel>();
            expander = ftdi_model->expander(0);
            pcf = ftdi_model->pcf(0);
            sim = models::make_ftdi_sim_model(ftdi_model);
            entry = &ft;
        } else {
            models::Cp2112Options o;
            o.device_version = device_version;
            cp2112_model = std::make_shared<models::Cp2112Model>(o);
            expander = cp2112_model->expander();
            pcf = cp2112_model->pcf();
            sim = models::make_cp2112_sim_model(cp2112_model);
        }
        adapter = std::make_shared<sim::SimAdapter>(ctx, *entry, entry->products.front(), std::move(sim),
                                                    ftdi ? "EXPFT01" : "EXP0001", ftdi ? "sim:exp-ft" : "sim:exp");
        auto plugged = adapter->plug();
        if (!plugged) {
            ADD_FAILURE() << plugged.error().message;
            return;
        }
        dev = plugged.value();
        bus = dev.i2c_bus().value();
    }

    // Binds the driver of `entry` as `type` at `addr` on the adapter's bus.
    Result<Device> bind(const drivers::ClientEntry& entry, std::string_view type, uint16_t addr) {
        driver::DeviceSlot slot(ctx);
        DeviceInfo info;
        char id[16];
        std::snprintf(id, sizeof id, "-i2c0-0x%02x", unsigned(addr));
        info.id = dev.info().id + id;
        info.parent = dev.info().id;
        info.path = dev.info().path;
        info.simulated = true;
        std::snprintf(id, sizeof id, " i2c 0x%02x", unsigned(addr));
        return entry.probe(slot, info, type,
                           std::make_unique<HandleClientBus>(bus, addr, dev.info().display_name() + id));
    }

    Context ctx;
    std::shared_ptr<models::Cp2112Model> cp2112_model;
    std::shared_ptr<models::FtdiChipModel> ftdi_model;
    std::shared_ptr<models::Pca953x> expander;
    std::shared_ptr<models::Pcf857x> pcf;
    std::shared_ptr<sim::SimAdapter> adapter;
    Device dev;
    I2cBus bus;
};

inline LineConfig line(unsigned offset, Direction d, bool value = false, Edge edge = Edge::none,
                       Drive drive = Drive::push_pull) {
    LineConfig c;
    c.offset = offset;
    c.settings.direction = d;
    c.settings.output_value = value;
    c.settings.edge = edge;
    c.settings.drive = drive;
    return c;
}

}  // namespace usbio::test
