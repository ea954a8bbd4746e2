// SPDX-License-Identifier: Apache-2.0
// CP2112 report IDs, report lengths and status codes (AN495), as the model
// speaks them. Lengths count the report-ID byte.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace usbio::models::cp2112 {

constexpr uint16_t kVid = 0x10C4;
constexpr uint16_t kPid = 0xEA90;
constexpr uint8_t kPartNumber = 0x0C;
constexpr uint8_t kEpIn = 0x81;
constexpr uint8_t kEpOut = 0x01;
constexpr std::size_t kPacketSize = 64;

enum Report : uint8_t {
    kReset = 0x01,
    kGpioConfig = 0x02,
    kGpioGet = 0x03,
    kGpioSet = 0x04,
    kVersion = 0x05,
    kSmbusConfig = 0x06,
    kReadRequest = 0x10,
    kWriteReadRequest = 0x11,
    kForceSend = 0x12,
    kReadResponse = 0x13,
    kWriteRequest = 0x14,
    kStatusRequest = 0x15,
    kStatusResponse = 0x16,
    kCancel = 0x17,
    kLockByte = 0x20,
    kUsbConfig = 0x21,
    kManufacturerString = 0x22,
    kProductString = 0x23,
    kSerialString = 0x24,
};

// Full report lengths (ID included). Output requests may arrive shorter
// where the tail is unused (0x11 with fewer target-address bytes, 0x14 with
// fewer data bytes); input reports go out padded to kPacketSize.
constexpr std::size_t kResetLen = 2;
constexpr std::size_t kGpioConfigLen = 5;
constexpr std::size_t kGpioGetLen = 2;
constexpr std::size_t kGpioSetLen = 3;
constexpr std::size_t kVersionLen = 3;
constexpr std::size_t kSmbusConfigLen = 14;
constexpr std::size_t kReadRequestLen = 4;
constexpr std::size_t kWriteReadRequestLen = 21;  // with 16 target-address bytes
constexpr std::size_t kForceSendLen = 3;
constexpr std::size_t kReadResponseLen = 64;
constexpr std::size_t kWriteRequestLen = 64;  // with 61 data bytes
constexpr std::size_t kStatusRequestLen = 2;
constexpr std::size_t kStatusResponseLen = 7;
constexpr std::size_t kCancelLen = 2;
constexpr std::size_t kLockByteLen = 2;
constexpr std::size_t kUsbConfigLen = 10;
constexpr std::size_t kStringLen = 63;

constexpr std::size_t kMaxRead = 512;
constexpr std::size_t kMaxWrite = 61;
constexpr std::size_t kMaxTargetAddress = 16;
constexpr std::size_t kMaxReadChunk = 61;
constexpr std::size_t kMaxStringChars = 30;

// status0
constexpr uint8_t kIdle = 0x00;
constexpr uint8_t kBusy = 0x01;
constexpr uint8_t kComplete = 0x02;
constexpr uint8_t kError = 0x03;
// status1 while busy
constexpr uint8_t kBusyAddressAcked = 0x00;
constexpr uint8_t kBusyAddressNacked = 0x01;
constexpr uint8_t kBusyReading = 0x02;
constexpr uint8_t kBusyWriting = 0x03;
// status1 on error / completion
constexpr uint8_t kErrorAddressNack = 0x00;  // timeout, address NACKed
constexpr uint8_t kErrorBusNotFree = 0x01;   // timeout, SCL held low
constexpr uint8_t kErrorArbitrationLost = 0x02;
constexpr uint8_t kErrorReadIncomplete = 0x03;
constexpr uint8_t kErrorWriteIncomplete = 0x04;
constexpr uint8_t kSucceeded = 0x05;

// Feature report 0x06.
struct SmbusConfig {
    uint32_t clock_hz = 100000;
    uint8_t own_address = 0x02;  // the chip's own slave address, 8-bit form
    bool auto_send_read = false;
    uint16_t write_timeout_ms = 0;  // 0 = none
    uint16_t read_timeout_ms = 0;   // 0 = none
    bool scl_low_timeout = false;   // reset the bus after SCL is low > 25 ms
    uint16_t retry_limit = 0;       // 0 = unlimited

    std::array<uint8_t, kSmbusConfigLen> encode() const;
    // nullopt when the report is short or a field is out of range.
    static std::optional<SmbusConfig> decode(std::span<const uint8_t> report);
};

constexpr uint16_t kMaxTimeoutMs = 1000;
constexpr uint16_t kMaxRetries = 1000;
constexpr unsigned kSclLowTimeoutMs = 25;

}  // namespace usbio::models::cp2112
