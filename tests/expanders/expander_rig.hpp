// SPDX-License-Identifier: Apache-2.0
// A simulated CP2112 (or FT232H) whose model the test keeps, so that it can
// drive and read the expander models on the adapter's bus, and expander
// clients bound on that bus.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "cp2112/entry.hpp"
#include "ftdi/entry.hpp"
#include "models/cp2112_sim_model.hpp"
#include "models/ftdi_sim_model.hpp"
#include "sim/adapter.hpp"
#include "usbio/usbio.hpp"

namespace usbio::test {

inline std::error_code errc(int e) { return std::error_code(e, std::generic_category()); }

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

    // Binds `type` at `addr` on the adapter's bus, as applications do.
    Result<Device> bind(std::string_view type, uint16_t addr) { return bind_client(ctx, dev, type, addr); }

    Context ctx;
    std::shared_ptr<models::Cp2112Model> cp2112_model;
    std::shared_ptr<models::FtdiChipModel> ftdi_model;
    std::shared_ptr<models::Pca953x> expander;
    std::shared_ptr<models::Pcf857x> pcf;
    std::shared_ptr<sim::SimAdapter> adapter;
    Device dev;
    I2cBus bus;
};

// An expander bound on a Rig, and its gpio chip.
class ExpanderTest : public ::testing::Test {
protected:
    void bind(std::string_view type, uint16_t addr) {
        auto d = rig.bind(type, addr);
        ASSERT_TRUE(d.ok()) << d.error().message;
        dev = d.value();
        chip = dev.gpio_chip().value();
    }
    // Edges are sampled every millisecond.
    Result<LineRequest> request(std::vector<LineConfig> lines) {
        RequestConfig rc;
        rc.consumer = "test";
        rc.lines = std::move(lines);
        rc.edge_poll_period = std::chrono::milliseconds(1);
        return chip.request_lines(rc);
    }
    Rig rig;
    Device dev;
    GpioChip chip;
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
