// SPDX-License-Identifier: Apache-2.0
// Copies a 24C32 EEPROM (4 KiB, two address bytes) at 0x50 to a file, in
// reads of up to 512 bytes, the CP2112's largest.
#include <fstream>
#include <vector>

#include "common.hpp"

int main(int argc, char** argv) {
    const char* out_path = argc > 2 ? argv[2] : "eeprom.bin";
    auto s = example::setup(argc, argv);
    if (!s) return 1;
    auto bus = example::or_exit(s->device.i2c_bus());
    constexpr std::size_t kSize = 4096, kChunk = 512;
    std::vector<uint8_t> image(kSize);
    for (std::size_t off = 0; off < kSize; off += kChunk) {
        const uint8_t addr[2] = {static_cast<uint8_t>(off >> 8), static_cast<uint8_t>(off)};
        if (auto r = bus.write_read(0x50, addr, {image.data() + off, kChunk}); !r) {
            std::fprintf(stderr, "at offset %zu: %s\n", off, r.error().message.c_str());
            return 1;
        }
    }
    std::ofstream(out_path, std::ios::binary).write(reinterpret_cast<const char*>(image.data()), kSize);
    std::printf("copied %zu bytes from the EEPROM at 0x50 to %s\n", kSize, out_path);
    return 0;
}
