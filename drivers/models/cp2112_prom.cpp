// SPDX-License-Identifier: Apache-2.0
#include "models/cp2112_prom.hpp"

#include <algorithm>

#include "models/cp2112_protocol.hpp"

namespace usbio::models::cp2112 {

namespace {

// Lock byte bits; the USB configuration's program mask uses the low five.
constexpr uint8_t kLockVid = 0x01;
constexpr uint8_t kLockPid = 0x02;
constexpr uint8_t kLockPower = 0x04;
constexpr uint8_t kLockPowerMode = 0x08;
constexpr uint8_t kLockRelease = 0x10;
constexpr uint8_t kLockManufacturer = 0x20;
constexpr uint8_t kLockProduct = 0x40;
constexpr uint8_t kLockSerial = 0x80;

}  // namespace

std::string* Prom::string_field(uint8_t id) {
    return const_cast<std::string*>(static_cast<const Prom*>(this)->string_field(id));
}

const std::string* Prom::string_field(uint8_t id) const {
    switch (id) {
    case kManufacturerString: return &f_.manufacturer;
    case kProductString: return &f_.product;
    case kSerialString: return &f_.serial;
    default: return nullptr;
    }
}

uint8_t Prom::string_lock_bit(uint8_t id) const {
    return id == kManufacturerString ? kLockManufacturer : id == kProductString ? kLockProduct : kLockSerial;
}

std::optional<std::vector<uint8_t>> Prom::get(uint8_t id) const {
    if (id == kLockByte) return std::vector<uint8_t>{kLockByte, f_.lock};
    if (id == kUsbConfig)
        return std::vector<uint8_t>{
            kUsbConfig,           uint8_t(f_.vid),        uint8_t(f_.vid >> 8), uint8_t(f_.pid),
            uint8_t(f_.pid >> 8), f_.power_2ma,           f_.power_mode,        f_.release_major,
            f_.release_minor,     uint8_t(f_.lock & 0x1F)};  // which of these fields are still programmable
    const std::string* text = string_field(id);
    if (text == nullptr) return std::nullopt;
    const std::size_t n = std::min(text->size(), kMaxStringChars);
    std::vector<uint8_t> r = {id, uint8_t(2 + 2 * n), 0x03};
    for (std::size_t i = 0; i < n; ++i) r.insert(r.end(), {uint8_t((*text)[i]), 0x00});
    r.resize(kStringLen, 0x00);
    return r;
}

bool Prom::set(uint8_t id, std::span<const uint8_t> d) {
    if (id == kLockByte) {
        if (d.size() < kLockByteLen) return false;
        f_.lock &= d[1];  // bits only ever clear
        return true;
    }
    if (id == kUsbConfig) {
        if (d.size() < kUsbConfigLen) return false;
        const uint8_t program = d[9] & f_.lock & 0x1F;
        if (program & kLockVid) f_.vid = uint16_t(d[1] | d[2] << 8);
        if (program & kLockPid) f_.pid = uint16_t(d[3] | d[4] << 8);
        if (program & kLockPower) f_.power_2ma = d[5];
        if (program & kLockPowerMode) f_.power_mode = d[6];
        if (program & kLockRelease) {
            f_.release_major = d[7];
            f_.release_minor = d[8];
        }
        f_.lock &= uint8_t(~program);
        return true;
    }
    std::string* text = string_field(id);
    if (text == nullptr) return false;
    // A USB string descriptor: length (itself and the type included), type
    // 0x03, UTF-16LE text of at most 30 characters.
    if (d.size() < 3 || d[2] != 0x03 || d[1] < 2 || d[1] % 2 != 0 || d[1] > 2 + 2 * kMaxStringChars ||
        d.size() < std::size_t(1 + d[1]))
        return false;
    const uint8_t bit = string_lock_bit(id);
    if (!(f_.lock & bit)) return true;
    text->clear();
    for (std::size_t i = 3; i + 1 < std::size_t(1 + d[1]); i += 2) text->push_back(char(d[i]));  // ASCII subset
    f_.lock &= uint8_t(~bit);
    return true;
}

}  // namespace usbio::models::cp2112
