// SPDX-License-Identifier: Apache-2.0
// What an application sees when its adapter is unplugged: a reader thread
// gets ENODEV instead of hanging, the handle stays valid, and a removed
// event arrives. With the simulated adapter the cable is pulled here; with
// --real, unplug the adapter by hand.
#include <thread>

#include "common.hpp"

int main(int argc, char** argv) {
    auto s = example::setup(argc, argv);
    if (!s) return 1;
    auto events = s->ctx->events();
    auto bus = s->device.i2c_bus().value();  // throws usbio::Exception on failure

    std::thread reader([bus]() mutable {
        for (;;) {
            auto t = bus.read_word_data(0x48, 0x00);
            if (!t) {
                std::printf("reader: %s\n", t.error().message.c_str());
                return;
            }
        }
    });
    if (s->sim)
        s->sim->unplug();
    else
        std::printf("unplug the adapter now\n");

    for (;;) {
        auto e = events.next(std::chrono::seconds(60));
        if (!e) {
            std::fprintf(stderr, "no removal within a minute\n");
            reader.detach();
            return 1;
        }
        if (e->type == usbio::Event::Type::removed) {
            std::printf("event: %s removed\n", e->device.display_name().c_str());
            break;
        }
    }
    reader.join();
    uint8_t b;
    std::printf("after removal: %s\n", bus.read(0x48, {&b, 1}).error().message.c_str());
    return 0;
}
