// SPDX-License-Identifier: Apache-2.0
// A fuzz input read from both ends: the device's replies from the front, the
// operations to run from the back, so that changing one part shifts the
// other as little as possible. Both readers stop where they meet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace usbio::fuzz {

class ByteSource {
public:
    ByteSource(const uint8_t* data, std::size_t size) : data_(data), front_(0), back_(size) {}

    bool front_left() const { return front_ < back_; }
    bool back_left() const { return front_ < back_; }

    std::optional<uint8_t> take_front() {
        if (front_ >= back_) return std::nullopt;
        return data_[front_++];
    }
    // 0 once the input is used up.
    uint8_t front_or_zero() { return take_front().value_or(0); }

    uint8_t take_back() {
        if (front_ >= back_) return 0;
        return data_[--back_];
    }

private:
    const uint8_t* data_;
    std::size_t front_;
    std::size_t back_;
};

}  // namespace usbio::fuzz
