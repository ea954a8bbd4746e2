// SPDX-License-Identifier: Apache-2.0
// The CP2112's one-time programmable PROM: the USB customisation (VID, PID,
// power, power mode, release number, three strings) and the lock byte with
// one bit per field, 1 while the field may still be programmed. Programming
// a field clears its bit; a write to a locked field is ignored without an
// error, as the chip does (AN495 reports 0x20..0x24). Not locked; the model
// locks.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace usbio::models::cp2112 {

struct PromFields {
    uint8_t lock = 0xFF;  // nothing programmed yet
    uint16_t vid = 0x10C4;
    uint16_t pid = 0xEA90;
    uint8_t power_2ma = 50;  // 100 mA
    uint8_t power_mode = 0;  // bus-powered
    uint8_t release_major = 0;
    uint8_t release_minor = 0;
    std::string manufacturer = "Silicon Laboratories";
    std::string product = "CP2112 HID USB-to-SMBus Bridge";
    std::string serial;

    bool operator==(const PromFields&) const = default;
};

class Prom {
public:
    explicit Prom(PromFields fields) : f_(std::move(fields)) {}

    const PromFields& fields() const { return f_; }
    void set_fields(PromFields f) { f_ = std::move(f); }

    // GET_REPORT of 0x20..0x24, or nullopt for another ID.
    std::optional<std::vector<uint8_t>> get(uint8_t id) const;
    // SET_REPORT of 0x20..0x24: false (stall) when malformed, true when
    // taken, whether or not a locked field ignored it.
    bool set(uint8_t id, std::span<const uint8_t> report);

private:
    std::string* string_field(uint8_t id);
    const std::string* string_field(uint8_t id) const;
    uint8_t string_lock_bit(uint8_t id) const;

    PromFields f_;
};

}  // namespace usbio::models::cp2112
