// SPDX-License-Identifier: Apache-2.0
// One CP2112 driver (cp2112::Chip) opened on a sim transport over a CP2112
// model, for tests that reach below the public API: the model's and the
// transport's fault hooks, and the reports the driver sends.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <span>
#include <system_error>
#include <vector>

#include "cp2112/chip.hpp"
#include "models/cp2112_model.hpp"
#include "usbio/usb/sim_transport.hpp"

namespace usbio::test {

inline std::error_code errc(int e) { return std::error_code(e, std::generic_category()); }

// The device version the chip reports; the fault tests run against 2 (data
// fetched by force-sends) and 3 (Auto Send Read).
#ifndef USBIO_TEST_CP2112_VERSION
#define USBIO_TEST_CP2112_VERSION 2
#endif

struct ChipRig {
    using Clock = std::chrono::steady_clock;

    explicit ChipRig(models::Cp2112Options options = {.device_version = USBIO_TEST_CP2112_VERSION,
                                                      .eeprom_write_cycle = std::chrono::microseconds(0)})
        : model(std::make_shared<models::Cp2112Model>(options)) {
        auto t = std::make_unique<usb::SimTransport>(model, "sim:rig");
        transport = t.get();
        auto opened = cp2112::Chip::open(std::move(t), "cp2112 [sim:rig]");
        if (!opened) {
            ADD_FAILURE() << opened.error().message;
            return;
        }
        chip = std::move(opened).value();
    }

    // A plain read of `n` bytes from `addr`; the bytes are returned only
    // when the read succeeded.
    std::error_code read(uint16_t addr, std::size_t n, std::vector<uint8_t>& out) {
        out.assign(n, 0);
        I2cMsg m{addr, I2cMsg::read, std::span<uint8_t>(out)};
        const std::error_code ec = chip->transfer(std::span<I2cMsg>(&m, 1));
        if (ec) out.clear();
        return ec;
    }
    std::error_code write(uint16_t addr, std::vector<uint8_t> data) {
        I2cMsg m{addr, 0, std::span<uint8_t>(data)};
        return chip->transfer(std::span<I2cMsg>(&m, 1));
    }
    std::error_code write_read(uint16_t addr, std::vector<uint8_t> w, std::size_t n, std::vector<uint8_t>& out) {
        out.assign(n, 0);
        I2cMsg m[2] = {{addr, 0, std::span<uint8_t>(w)}, {addr, I2cMsg::read, std::span<uint8_t>(out)}};
        const std::error_code ec = chip->transfer(std::span<I2cMsg>(m, 2));
        if (ec) out.clear();
        return ec;
    }

    std::shared_ptr<models::Cp2112Model> model;
    usb::SimTransport* transport = nullptr;  // owned by the chip
    std::unique_ptr<cp2112::Chip> chip;
};

// The sensor reads 22 degC: 0x16 0x00 on the bus.
inline const std::vector<uint8_t> kSensorBytes{0x16, 0x00};
constexpr int kSensorMilliC = 22'000;
constexpr uint16_t kEeprom = 0x50;
constexpr uint16_t kSensor = 0x48;

// The budget of a small read at 100 kHz: the chip's read timeout for each
// of two attempts, the SCL-low timeout and the host's slack (chip_i2c.cpp),
// with room for a loaded machine on top.
constexpr std::chrono::milliseconds kSmallReadBudget{790};
constexpr std::chrono::milliseconds kSchedulingSlack{250};

}  // namespace usbio::test
