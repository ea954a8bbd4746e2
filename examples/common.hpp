// SPDX-License-Identifier: Apache-2.0
// What every example does first: a Context with one adapter in it. By
// default a simulated CP2112 (a 24C32 EEPROM at 0x50 and an LM75 sensor at
// 0x48 on its bus), so the examples run anywhere; `--real` uses the first
// real adapter on USB instead.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include <usbio/usbio.hpp>

namespace example {

struct Setup {
    std::unique_ptr<usbio::Context> ctx = std::make_unique<usbio::Context>();
    std::shared_ptr<usbio::sim::Adapter> sim;  // null with --real
    std::shared_ptr<usbio::usb::Host> host;    // null without --real
    usbio::Device device;
};

// The value of a Result, or its message (which names the adapter, address
// or line) on stderr and exit status 1.
template <class T>
T or_exit(usbio::Result<T> r) {
    if (!r) {
        std::fprintf(stderr, "%s\n", r.error().message.c_str());
        std::exit(1);
    }
    return std::move(r).value();
}

inline std::optional<Setup> setup(int argc, char** argv) {
    Setup s;
    bool real = argc > 1 && std::strcmp(argv[1], "--real") == 0;
    if (real) {
        auto host = usbio::usb::attach(*s.ctx);
        if (!host) {
            std::fprintf(stderr, "%s\n", host.error().message.c_str());
            return std::nullopt;
        }
        s.host = host.value();
    } else {
        auto sim = usbio::sim::attach(*s.ctx, "cp2112");
        if (!sim) {
            std::fprintf(stderr, "%s\n", sim.error().message.c_str());
            return std::nullopt;
        }
        s.sim = sim.value();
    }
    auto dev = s.ctx->find("0");
    if (!dev) {
        std::fprintf(stderr, "%s\n", dev.error().message.c_str());
        return std::nullopt;
    }
    s.device = dev.value();
    return s;
}

}  // namespace example
