// SPDX-License-Identifier: Apache-2.0
// One FTDI driver port (ftdi::Chip) opened on a sim transport over a port
// of an FTDI chip model, for tests that reach below the public API.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <span>
#include <system_error>
#include <vector>

#include "ftdi/chip.hpp"
#include "models/ftdi_model.hpp"
#include "usbio/usb/sim_transport.hpp"

namespace usbio::test {

using Bytes = std::vector<uint8_t>;

inline std::error_code errc(int e) { return std::error_code(e, std::generic_category()); }

struct FtdiRig {
    explicit FtdiRig(models::FtdiKind kind = models::FtdiKind::ft232h, unsigned port = 0)
        : model(std::make_shared<models::FtdiChipModel>(
              models::FtdiOptions{kind, "FTRIG1", true, true, std::chrono::microseconds(0)})),
          port(port) {
        auto t = std::make_unique<usb::SimTransport>(model->port(port), "sim:rig");
        transport = t.get();
        auto opened = ftdi::Chip::open(std::move(t), "ftdi [sim:rig]");
        if (!opened) {
            ADD_FAILURE() << opened.error().message;
            return;
        }
        chip = std::move(opened).value();
    }

    std::error_code write(uint16_t addr, Bytes data, uint16_t flags = 0) {
        I2cMsg m{addr, flags, std::span<uint8_t>(data)};
        return chip->transfer(std::span<I2cMsg>(&m, 1));
    }
    std::error_code read(uint16_t addr, std::size_t n, Bytes& out, uint16_t flags = 0) {
        out.assign(n, 0);
        I2cMsg m{addr, static_cast<uint16_t>(flags | I2cMsg::read), std::span<uint8_t>(out)};
        return chip->transfer(std::span<I2cMsg>(&m, 1));
    }
    std::error_code write_read(uint16_t addr, Bytes w, std::size_t n, Bytes& out, uint16_t flags = 0) {
        out.assign(n, 0);
        I2cMsg m[2] = {{addr, flags, std::span<uint8_t>(w)},
                       {addr, static_cast<uint16_t>(flags | I2cMsg::read), std::span<uint8_t>(out)}};
        return chip->transfer(std::span<I2cMsg>(m, 2));
    }
    std::vector<std::string> violations() const { return model->violations(port); }

    std::shared_ptr<models::FtdiChipModel> model;
    unsigned port;
    usb::SimTransport* transport = nullptr;  // owned by the chip
    std::unique_ptr<ftdi::Chip> chip;
};

inline std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += x + "; ";
    return s;
}

}  // namespace usbio::test
