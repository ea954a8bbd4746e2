// SPDX-License-Identifier: Apache-2.0
#include "handles_fixture.hpp"

namespace usbio::bench {

std::unique_ptr<SimFixture> make_sim_fixture(std::string& why) {
    auto f = std::make_unique<SimFixture>();
    auto adapter = sim::attach(f->ctx, "cp2112");
    if (!adapter) {
        why = adapter.error().message;
        return nullptr;
    }
    f->adapter = *adapter;
    auto dev = f->ctx.find(f->adapter->serial());
    if (!dev) {
        why = dev.error().message;
        return nullptr;
    }
    f->dev = *dev;
    auto chip = f->dev.gpio_chip(0);
    if (!chip) {
        why = chip.error().message;
        return nullptr;
    }
    f->chip = *chip;
    RequestConfig held;
    held.consumer = "bench-held";
    held.lines.push_back(LineConfig{0, LineSettings{}});
    auto req = f->chip.request_lines(held);
    if (!req) {
        why = req.error().message;
        return nullptr;
    }
    f->held = *req;
    auto bus = f->dev.i2c_bus(0);
    if (!bus) {
        why = bus.error().message;
        return nullptr;
    }
    f->bus = *bus;
    f->request.consumer = "bench";
    f->request.lines.push_back(LineConfig{1, LineSettings{}});
    return f;
}

}  // namespace usbio::bench
