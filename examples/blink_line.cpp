// SPDX-License-Identifier: Apache-2.0
// Blinks GPIO line 3: requests it as an output and drives it high and low
// a few times, reading the level back each time.
#include <chrono>
#include <thread>

#include "common.hpp"

int main(int argc, char** argv) {
    auto s = example::setup(argc, argv);
    if (!s) return 1;
    auto chip = example::or_exit(s->device.gpio_chip());
    auto req = example::or_exit(chip.request_lines({"blink", {{3, {usbio::Direction::output}}}}));
    for (int i = 0; i < 6; ++i) {
        int level = i % 2 == 0;
        if (auto r = req.set_value(3, level); !r) {
            std::fprintf(stderr, "%s\n", r.error().message.c_str());
            return 1;
        }
        std::printf("line 3 = %d (reads back %d)\n", level, req.get_value(3).value());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the blink's own rhythm
    }
    return 0;
}
