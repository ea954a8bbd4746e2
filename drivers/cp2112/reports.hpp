// SPDX-License-Identifier: Apache-2.0
// CP2112 HID reports (Silicon Labs AN495): IDs, lengths, and the byte layouts
// this driver builds and parses. Byte 0 of every report is its ID; multi-byte
// SMBus fields are big-endian.
//
// Parsers take whatever the device sent and check it before reading a byte,
// so a malformed report becomes an error, never an out-of-bounds read.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace usbio::cp2112 {

namespace report {
// Feature reports (control transfers on endpoint 0).
inline constexpr uint8_t gpio_config = 0x02;
inline constexpr uint8_t gpio_get = 0x03;
inline constexpr uint8_t gpio_set = 0x04;
inline constexpr uint8_t version = 0x05;
inline constexpr uint8_t smbus_config = 0x06;
// USB customisation (one-time programmable PROM).
inline constexpr uint8_t lock_byte = 0x20;
inline constexpr uint8_t usb_config = 0x21;
inline constexpr uint8_t manufacturer_string = 0x22;
inline constexpr uint8_t product_string = 0x23;
inline constexpr uint8_t serial_string = 0x24;
// Output reports (interrupt OUT).
inline constexpr uint8_t read_request = 0x10;
inline constexpr uint8_t write_read_request = 0x11;
inline constexpr uint8_t read_force_send = 0x12;
inline constexpr uint8_t write = 0x14;
inline constexpr uint8_t status_request = 0x15;
inline constexpr uint8_t cancel = 0x17;
// Input reports (interrupt IN).
inline constexpr uint8_t read_response = 0x13;
inline constexpr uint8_t status_response = 0x16;

// Total lengths including the ID byte.
inline constexpr std::size_t gpio_config_len = 5;
inline constexpr std::size_t gpio_get_len = 2;
inline constexpr std::size_t gpio_set_len = 3;
inline constexpr std::size_t version_len = 3;
inline constexpr std::size_t smbus_config_len = 14;
inline constexpr std::size_t lock_byte_len = 2;
inline constexpr std::size_t usb_config_len = 10;
inline constexpr std::size_t string_len = 63;
inline constexpr std::size_t status_response_len = 7;
inline constexpr std::size_t read_response_header = 3;
inline constexpr std::size_t max_len = 64;
}  // namespace report

inline constexpr uint8_t kPartNumber = 0x0C;
inline constexpr unsigned kNumGpios = 8;

// Chip limits (AN495 / datasheet).
inline constexpr std::size_t kMaxWrite = 61;
inline constexpr std::size_t kMaxRead = 512;
inline constexpr std::size_t kMaxWriteBeforeRead = 16;
inline constexpr std::size_t kMaxReadChunk = 61;
inline constexpr uint32_t kMinBitrate = 10'000;
inline constexpr uint32_t kMaxBitrate = 400'000;
inline constexpr unsigned kMaxChipTimeoutMs = 1000;
// A bus reset follows when SCL stays low this long (SCL-low timeout enabled).
inline constexpr unsigned kSclLowTimeoutMs = 25;

// status0 of a transfer status or data read response.
enum class XferState : uint8_t { idle = 0, busy = 1, complete = 2, error = 3 };

// status1 when status0 is error.
namespace xfer_error {
inline constexpr uint8_t address_nack = 0x00;
inline constexpr uint8_t bus_not_free = 0x01;
inline constexpr uint8_t arbitration_lost = 0x02;
inline constexpr uint8_t read_incomplete = 0x03;
inline constexpr uint8_t write_incomplete = 0x04;
}  // namespace xfer_error

struct VersionInfo {
    uint8_t part_number = 0;
    uint8_t device_version = 0;

    bool operator==(const VersionInfo&) const = default;
};

struct SmbusConfig {
    uint32_t clock_hz = 100'000;
    uint8_t own_address = 0x02;
    bool auto_send_read = false;
    uint16_t write_timeout_ms = 0;
    uint16_t read_timeout_ms = 0;
    bool scl_low_timeout = false;
    uint16_t retry_limit = 0;

    bool operator==(const SmbusConfig&) const = default;
};

struct GpioConfig {
    uint8_t direction = 0;  // bit n: 1 = output
    uint8_t push_pull = 0;  // bit n: 1 = push-pull, 0 = open-drain
    uint8_t special = 0;    // special-function enables
    uint8_t clock_divider = 0;

    bool operator==(const GpioConfig&) const = default;
};

// Special-function bits and the pin each one takes over.
inline constexpr uint8_t kSpecialClockOnGpio7 = 0x01;
inline constexpr uint8_t kSpecialTxLedOnGpio0 = 0x02;
inline constexpr uint8_t kSpecialRxLedOnGpio1 = 0x04;
// The special-function bit that claims GPIO `offset`, or 0 for none.
uint8_t special_bit_for(unsigned offset) noexcept;
// The name of the special function of GPIO `offset` (0, 1 or 7):
// "tx-led", "rx-led", "clock-out"; "" for the other lines.
const char* special_function_name(unsigned offset) noexcept;
// The lines (bit n = GPIO.n) the enabled special functions take over.
uint8_t special_lines(uint8_t special) noexcept;

// Lock byte bits: 1 = the field may still be programmed, 0 = locked.
namespace lock {
inline constexpr uint8_t vid = 0x01;
inline constexpr uint8_t pid = 0x02;
inline constexpr uint8_t power = 0x04;
inline constexpr uint8_t power_mode = 0x08;
inline constexpr uint8_t release = 0x10;
inline constexpr uint8_t manufacturer = 0x20;
inline constexpr uint8_t product = 0x40;
inline constexpr uint8_t serial = 0x80;
}  // namespace lock

// Report 0x21. On a SET, `mask` selects the fields to program; its bits are
// the lock byte's low five.
struct UsbConfig {
    uint16_t vid = 0;
    uint16_t pid = 0;
    uint8_t power_2ma = 0;   // maximum power in 2 mA units
    uint8_t power_mode = 0;  // 0 bus, 1 self-powered regulator off, 2 self-powered regulator on
    uint8_t release_major = 0;
    uint8_t release_minor = 0;
    uint8_t mask = 0;

    bool operator==(const UsbConfig&) const = default;
};

// The PROM strings hold at most this many UTF-16 characters.
inline constexpr std::size_t kMaxStringChars = 30;

struct TransferStatus {
    XferState state = XferState::idle;
    uint8_t detail = 0;     // status1
    uint16_t retries = 0;   // status2
    uint16_t received = 0;  // status3

    bool operator==(const TransferStatus&) const = default;
};

struct ReadResponse {
    XferState state = XferState::idle;
    std::span<const uint8_t> data;  // points into the parsed report
};

// Feature report payload parsers and builders. Parsers fail with EPROTO on a
// wrong ID or short report.
std::error_code parse_version(std::span<const uint8_t> r, VersionInfo& out);
std::error_code parse_smbus_config(std::span<const uint8_t> r, SmbusConfig& out);
std::vector<uint8_t> build_smbus_config(const SmbusConfig& c);
std::error_code parse_gpio_config(std::span<const uint8_t> r, GpioConfig& out);
std::vector<uint8_t> build_gpio_config(const GpioConfig& c);
std::error_code parse_gpio_values(std::span<const uint8_t> r, uint8_t& out);
std::vector<uint8_t> build_gpio_set(uint8_t values, uint8_t mask);
std::error_code parse_lock_byte(std::span<const uint8_t> r, uint8_t& out);
std::vector<uint8_t> build_lock_byte(uint8_t lock);
std::error_code parse_usb_config(std::span<const uint8_t> r, UsbConfig& out);
std::vector<uint8_t> build_usb_config(const UsbConfig& c);
// String reports 0x22..0x24: a USB string descriptor (length, type 0x03,
// UTF-16LE). The text is ASCII; a character outside it is EPROTO on parse.
std::error_code parse_string_report(std::span<const uint8_t> r, uint8_t id, std::string& out);
// `text` must be ASCII and at most kMaxStringChars long.
std::vector<uint8_t> build_string_report(uint8_t id, std::string_view text);

// Output reports. Addresses are 7-bit; the report carries them shifted.
std::vector<uint8_t> build_read_request(uint8_t addr7, std::size_t length);
std::vector<uint8_t> build_write_read_request(uint8_t addr7, std::span<const uint8_t> out, std::size_t read_length);
std::vector<uint8_t> build_write(uint8_t addr7, std::span<const uint8_t> data);
std::vector<uint8_t> build_force_send(std::size_t length);
std::vector<uint8_t> build_status_request();
std::vector<uint8_t> build_cancel();

// Input reports. parse_read_response accepts only 1..max_count data bytes.
std::error_code parse_transfer_status(std::span<const uint8_t> r, TransferStatus& out);
std::error_code parse_read_response(std::span<const uint8_t> r, std::size_t max_count, ReadResponse& out);

// True for the IDs this chip sends on its interrupt IN endpoint.
bool is_input_report(uint8_t id) noexcept;

}  // namespace usbio::cp2112
