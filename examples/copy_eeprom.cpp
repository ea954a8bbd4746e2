// SPDX-License-Identifier: Apache-2.0
// Copies a 24C32 EEPROM (4 KiB) at 0x50 to a file: bind_client() binds the
// at24 driver there, and Eeprom::read() cuts the read into what the adapter
// can carry, reporting progress between pieces.
#include <fstream>
#include <vector>

#include "common.hpp"

int main(int argc, char** argv) {
    const char* out_path = argc > 2 ? argv[2] : "eeprom.bin";
    auto s = example::setup(argc, argv);
    if (!s) return 1;
    auto client = example::or_exit(usbio::bind_client(*s->ctx, s->device, "24c32", 0x50));
    auto eeprom = example::or_exit(client.eeprom());
    std::vector<uint8_t> image(eeprom.info().size);
    auto r = eeprom.read(0, image, [](std::size_t done, std::size_t total) {
        std::fprintf(stderr, "\r%zu of %zu bytes", done, total);
        return true;
    });
    std::fprintf(stderr, "\n");
    if (!r) {
        // The message names the EEPROM, its address and the byte offset.
        std::fprintf(stderr, "%s (%zu bytes read)\n", r.status.error().message.c_str(), r.done);
        return 1;
    }
    std::ofstream(out_path, std::ios::binary)
        .write(reinterpret_cast<const char*>(image.data()), std::streamsize(image.size()));
    std::printf("copied %zu bytes from the EEPROM at 0x50 to %s\n", image.size(), out_path);
    return 0;
}
