// SPDX-License-Identifier: Apache-2.0
#include "cp2112/reports.hpp"

#include <algorithm>
#include <cerrno>

namespace usbio::cp2112 {

namespace {

std::error_code proto() { return std::error_code(EPROTO, std::generic_category()); }

// A report is acceptable when it carries the expected ID and at least the
// bytes its layout needs; trailing padding (input reports are padded to 64
// bytes on the wire) is ignored.
bool fits(std::span<const uint8_t> r, uint8_t id, std::size_t len) { return r.size() >= len && r[0] == id; }

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

void put_be16(uint8_t* p, uint16_t v) {
    p[0] = static_cast<uint8_t>(v >> 8);
    p[1] = static_cast<uint8_t>(v);
}

bool valid_state(uint8_t s) { return s <= static_cast<uint8_t>(XferState::error); }

}  // namespace

uint8_t special_bit_for(unsigned offset) noexcept {
    switch (offset) {
    case 0: return kSpecialTxLedOnGpio0;
    case 1: return kSpecialRxLedOnGpio1;
    case 7: return kSpecialClockOnGpio7;
    default: return 0;
    }
}

const char* special_function_name(unsigned offset) noexcept {
    switch (offset) {
    case 0: return "tx-led";
    case 1: return "rx-led";
    case 7: return "clock-out";
    default: return "";
    }
}

uint8_t special_lines(uint8_t special) noexcept {
    uint8_t lines = 0;
    for (unsigned offset : {0u, 1u, 7u})
        if (special & special_bit_for(offset)) lines = static_cast<uint8_t>(lines | 1u << offset);
    return lines;
}

std::error_code parse_version(std::span<const uint8_t> r, VersionInfo& out) {
    if (!fits(r, report::version, report::version_len)) return proto();
    out.part_number = r[1];
    out.device_version = r[2];
    return {};
}

std::error_code parse_smbus_config(std::span<const uint8_t> r, SmbusConfig& out) {
    if (!fits(r, report::smbus_config, report::smbus_config_len)) return proto();
    out.clock_hz =
        static_cast<uint32_t>(r[1]) << 24 | static_cast<uint32_t>(r[2]) << 16 | static_cast<uint32_t>(r[3]) << 8 | r[4];
    out.own_address = r[5];
    out.auto_send_read = r[6] != 0;
    out.write_timeout_ms = be16(&r[7]);
    out.read_timeout_ms = be16(&r[9]);
    out.scl_low_timeout = r[11] != 0;
    out.retry_limit = be16(&r[12]);
    return {};
}

std::vector<uint8_t> build_smbus_config(const SmbusConfig& c) {
    std::vector<uint8_t> r(report::smbus_config_len);
    r[0] = report::smbus_config;
    r[1] = static_cast<uint8_t>(c.clock_hz >> 24);
    r[2] = static_cast<uint8_t>(c.clock_hz >> 16);
    r[3] = static_cast<uint8_t>(c.clock_hz >> 8);
    r[4] = static_cast<uint8_t>(c.clock_hz);
    r[5] = c.own_address;
    r[6] = c.auto_send_read ? 1 : 0;
    put_be16(&r[7], c.write_timeout_ms);
    put_be16(&r[9], c.read_timeout_ms);
    r[11] = c.scl_low_timeout ? 1 : 0;
    put_be16(&r[12], c.retry_limit);
    return r;
}

std::error_code parse_gpio_config(std::span<const uint8_t> r, GpioConfig& out) {
    if (!fits(r, report::gpio_config, report::gpio_config_len)) return proto();
    out.direction = r[1];
    out.push_pull = r[2];
    out.special = r[3];
    out.clock_divider = r[4];
    return {};
}

std::vector<uint8_t> build_gpio_config(const GpioConfig& c) {
    return {report::gpio_config, c.direction, c.push_pull, c.special, c.clock_divider};
}

std::error_code parse_gpio_values(std::span<const uint8_t> r, uint8_t& out) {
    if (!fits(r, report::gpio_get, report::gpio_get_len)) return proto();
    out = r[1];
    return {};
}

std::vector<uint8_t> build_gpio_set(uint8_t values, uint8_t mask) { return {report::gpio_set, values, mask}; }

std::error_code parse_lock_byte(std::span<const uint8_t> r, uint8_t& out) {
    if (!fits(r, report::lock_byte, report::lock_byte_len)) return proto();
    out = r[1];
    return {};
}

std::vector<uint8_t> build_lock_byte(uint8_t lock) { return {report::lock_byte, lock}; }

std::error_code parse_usb_config(std::span<const uint8_t> r, UsbConfig& out) {
    if (!fits(r, report::usb_config, report::usb_config_len)) return proto();
    out.vid = static_cast<uint16_t>(r[1] | r[2] << 8);  // little-endian, unlike the SMBus fields
    out.pid = static_cast<uint16_t>(r[3] | r[4] << 8);
    out.power_2ma = r[5];
    out.power_mode = r[6];
    out.release_major = r[7];
    out.release_minor = r[8];
    out.mask = r[9];
    return {};
}

std::vector<uint8_t> build_usb_config(const UsbConfig& c) {
    return {report::usb_config,
            static_cast<uint8_t>(c.vid),
            static_cast<uint8_t>(c.vid >> 8),
            static_cast<uint8_t>(c.pid),
            static_cast<uint8_t>(c.pid >> 8),
            c.power_2ma,
            c.power_mode,
            c.release_major,
            c.release_minor,
            c.mask};
}

std::error_code parse_string_report(std::span<const uint8_t> r, uint8_t id, std::string& out) {
    if (!fits(r, id, 3) || r[2] != 0x03) return proto();
    const std::size_t length = r[1];
    // The length counts itself and the type byte; the text is UTF-16LE.
    if (length < 2 || length % 2 != 0 || length > 2 + 2 * kMaxStringChars || r.size() < 1 + length) return proto();
    out.clear();
    for (std::size_t i = 3; i + 1 < 1 + length; i += 2) {
        if (r[i + 1] != 0 || r[i] >= 0x80) return proto();
        out.push_back(static_cast<char>(r[i]));
    }
    return {};
}

std::vector<uint8_t> build_string_report(uint8_t id, std::string_view text) {
    std::vector<uint8_t> r(report::string_len, 0);
    const std::size_t n = std::min(text.size(), kMaxStringChars);
    r[0] = id;
    r[1] = static_cast<uint8_t>(2 + 2 * n);
    r[2] = 0x03;
    for (std::size_t i = 0; i < n; ++i) r[3 + 2 * i] = static_cast<uint8_t>(text[i]);
    return r;
}

std::vector<uint8_t> build_read_request(uint8_t addr7, std::size_t length) {
    std::vector<uint8_t> r(4);
    r[0] = report::read_request;
    r[1] = static_cast<uint8_t>(addr7 << 1);
    put_be16(&r[2], static_cast<uint16_t>(length));
    return r;
}

std::vector<uint8_t> build_write_read_request(uint8_t addr7, std::span<const uint8_t> out, std::size_t read_length) {
    std::vector<uint8_t> r(5 + out.size());
    r[0] = report::write_read_request;
    r[1] = static_cast<uint8_t>(addr7 << 1);
    put_be16(&r[2], static_cast<uint16_t>(read_length));
    r[4] = static_cast<uint8_t>(out.size());
    std::copy(out.begin(), out.end(), r.begin() + 5);
    return r;
}

std::vector<uint8_t> build_write(uint8_t addr7, std::span<const uint8_t> data) {
    std::vector<uint8_t> r(3 + data.size());
    r[0] = report::write;
    r[1] = static_cast<uint8_t>(addr7 << 1);
    r[2] = static_cast<uint8_t>(data.size());
    std::copy(data.begin(), data.end(), r.begin() + 3);
    return r;
}

std::vector<uint8_t> build_force_send(std::size_t length) {
    std::vector<uint8_t> r(3);
    r[0] = report::read_force_send;
    put_be16(&r[1], static_cast<uint16_t>(length));
    return r;
}

std::vector<uint8_t> build_status_request() { return {report::status_request, 0x01}; }

std::vector<uint8_t> build_cancel() { return {report::cancel, 0x01}; }

std::error_code parse_transfer_status(std::span<const uint8_t> r, TransferStatus& out) {
    if (!fits(r, report::status_response, report::status_response_len)) return proto();
    if (!valid_state(r[1])) return proto();
    // The chip buffers at most 512 bytes; more received is nonsense.
    const uint16_t received = be16(&r[5]);
    if (received > kMaxRead) return proto();
    out.state = static_cast<XferState>(r[1]);
    out.detail = r[2];
    out.retries = be16(&r[3]);
    out.received = received;
    return {};
}

std::error_code parse_read_response(std::span<const uint8_t> r, std::size_t max_count, ReadResponse& out) {
    if (!fits(r, report::read_response, report::read_response_header)) return proto();
    if (!valid_state(r[1])) return proto();
    const std::size_t count = r[2];
    if (count == 0 || count > max_count || count > kMaxReadChunk) return proto();
    if (r.size() < report::read_response_header + count) return proto();
    out.state = static_cast<XferState>(r[1]);
    out.data = r.subspan(report::read_response_header, count);
    return {};
}

bool is_input_report(uint8_t id) noexcept { return id == report::read_response || id == report::status_response; }

}  // namespace usbio::cp2112
