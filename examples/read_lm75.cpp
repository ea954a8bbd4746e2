// SPDX-License-Identifier: Apache-2.0
// Reads the temperature of an LM75 sensor at 0x48: register 0 holds it as a
// signed 9-bit value in half degrees, most significant byte first.
#include "common.hpp"

int main(int argc, char** argv) {
    auto s = example::setup(argc, argv);
    if (!s) return 1;
    auto bus = example::or_exit(s->device.i2c_bus());
    uint8_t reg = 0x00, raw[2];
    if (auto r = bus.write_read(0x48, {&reg, 1}, raw); !r) {
        std::fprintf(stderr, "%s\n", r.error().message.c_str());  // names adapter and address
        return 1;
    }
    int half_degrees = static_cast<int16_t>(raw[0] << 8 | raw[1]) >> 7;
    std::printf("%s: LM75 at 0x48: %.1f C\n", s->device.info().display_name().c_str(), half_degrees / 2.0);
    return 0;
}
