// SPDX-License-Identifier: Apache-2.0
#include "eeprom.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "timing.hpp"

namespace usbio::compare {

std::vector<uint8_t> eeprom_image(unsigned seed) {
    std::vector<uint8_t> v(kEepromSize);
    // A little LCG: every byte depends on the seed and its offset, and no
    // two pages are alike, so a wrong address shows as a mismatch.
    uint32_t x = 0x9e3779b9u * (seed + 1);
    for (std::size_t i = 0; i < v.size(); ++i) {
        x = x * 1664525u + 1013904223u;
        v[i] = static_cast<uint8_t>(x >> 24);
    }
    return v;
}

std::size_t eeprom_chunk(const Stack& s) { return std::min(s.max_read(), kEepromSize); }

int eeprom_read(Stack& s, std::size_t offset, std::span<uint8_t> out) {
    const std::size_t chunk = eeprom_chunk(s);
    for (std::size_t done = 0; done < out.size();) {
        const std::size_t n = std::min(chunk, out.size() - done);
        const std::size_t at = offset + done;
        const uint8_t address[2] = {static_cast<uint8_t>(at >> 8), static_cast<uint8_t>(at)};
        if (int rc = s.i2c_write_read(kEepromAddr, address, out.subspan(done, n))) return rc;
        done += n;
    }
    return 0;
}

int eeprom_write(Stack& s, std::span<const uint8_t> image, std::chrono::milliseconds page_limit, std::size_t& polls) {
    polls = 0;
    for (std::size_t at = 0; at < image.size(); at += kEepromPage) {
        std::vector<uint8_t> msg{static_cast<uint8_t>(at >> 8), static_cast<uint8_t>(at)};
        const auto page = image.subspan(at, std::min(kEepromPage, image.size() - at));
        msg.insert(msg.end(), page.begin(), page.end());
        if (int rc = s.i2c_write(kEepromAddr, msg)) return rc;
        const auto until = Clock::now() + page_limit;
        uint8_t probe[1];
        for (;;) {
            const int rc = s.i2c_write_read(kEepromAddr, std::span(msg).first(2), probe);
            if (rc == 0) break;
            ++polls;
            if (Clock::now() >= until) return rc;
        }
    }
    return 0;
}

std::string compare_image(std::span<const uint8_t> got, std::span<const uint8_t> want) {
    if (got.size() != want.size()) return "size " + std::to_string(got.size()) + " != " + std::to_string(want.size());
    const auto m = std::mismatch(got.begin(), got.end(), want.begin());
    if (m.first == got.end()) return "ok";
    char buf[96];
    std::snprintf(buf, sizeof buf, "mismatch at 0x%03zx: got 0x%02x, want 0x%02x",
                  static_cast<std::size_t>(m.first - got.begin()), *m.first, *m.second);
    return buf;
}

}  // namespace usbio::compare
