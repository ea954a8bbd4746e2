// SPDX-License-Identifier: Apache-2.0
// A simulated CP2112 opened through the public API, shared by the handle
// benchmarks: the chip and bus they open handles on, and a held line
// request and bus for the per-call reference figures.
#pragma once

#include <usbio/usbio.hpp>

#include <memory>
#include <string>

namespace usbio::bench {

struct SimFixture {
    Context ctx;
    std::shared_ptr<sim::Adapter> adapter;
    Device dev;
    GpioChip chip;
    LineRequest held;  // line 0, input
    I2cBus bus;
    RequestConfig request;  // line 1, input: what the open/close case requests
};

// Null with `why` set when the simulated adapter cannot be brought up.
std::unique_ptr<SimFixture> make_sim_fixture(std::string& why);

inline constexpr uint16_t kEepromAddr = 0x50;

}  // namespace usbio::bench
