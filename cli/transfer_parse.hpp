// SPDX-License-Identifier: Apache-2.0
// i2ctransfer's message syntax: DESC [DATA]... where DESC is
// {r|w}LENGTH[@ADDRESS] (LENGTH may be '?' for an SMBus-block-style read)
// and a write's DATA is LENGTH bytes, the last of which may end in
//   =  repeat it up to LENGTH,   +  count up,   -  count down,
//   p  i2ctransfer's pseudo-random sequence seeded with it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app.hpp"

namespace usbio::cli {

struct MessageSpec {
    std::string desc;  // as written, for messages
    bool read = false;
    bool recv_len = false;
    uint16_t addr = 0;
    std::vector<uint8_t> buf;  // the bytes to write, or room for the read
};

// The longest combined transfer accepted, as Linux's I2C_RDWR.
inline constexpr std::size_t kMaxMessages = 42;

// Throws UsageError naming the faulty word.
std::vector<MessageSpec> parse_messages(const Args& words, bool all_addresses);

}  // namespace usbio::cli
