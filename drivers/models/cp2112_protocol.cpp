// SPDX-License-Identifier: Apache-2.0
#include "models/cp2112_protocol.hpp"

namespace usbio::models::cp2112 {

std::array<uint8_t, kSmbusConfigLen> SmbusConfig::encode() const {
    return {kSmbusConfig,
            uint8_t(clock_hz >> 24),
            uint8_t(clock_hz >> 16),
            uint8_t(clock_hz >> 8),
            uint8_t(clock_hz),
            own_address,
            uint8_t(auto_send_read),
            uint8_t(write_timeout_ms >> 8),
            uint8_t(write_timeout_ms),
            uint8_t(read_timeout_ms >> 8),
            uint8_t(read_timeout_ms),
            uint8_t(scl_low_timeout),
            uint8_t(retry_limit >> 8),
            uint8_t(retry_limit)};
}

std::optional<SmbusConfig> SmbusConfig::decode(std::span<const uint8_t> r) {
    if (r.size() < kSmbusConfigLen || r[0] != kSmbusConfig) return std::nullopt;
    SmbusConfig c;
    c.clock_hz = uint32_t(r[1]) << 24 | uint32_t(r[2]) << 16 | uint32_t(r[3]) << 8 | r[4];
    c.own_address = r[5];
    c.write_timeout_ms = uint16_t(r[7] << 8 | r[8]);
    c.read_timeout_ms = uint16_t(r[9] << 8 | r[10]);
    c.retry_limit = uint16_t(r[12] << 8 | r[13]);
    if (c.clock_hz == 0 || r[6] > 1 || r[11] > 1 || c.write_timeout_ms > kMaxTimeoutMs ||
        c.read_timeout_ms > kMaxTimeoutMs || c.retry_limit > kMaxRetries)
        return std::nullopt;
    c.auto_send_read = r[6] != 0;
    c.scl_low_timeout = r[11] != 0;
    return c;
}

}  // namespace usbio::models::cp2112
