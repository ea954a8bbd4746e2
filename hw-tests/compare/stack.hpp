// SPDX-License-Identifier: Apache-2.0
// One way of reaching the CP2112's GPIO lines and I2C bus: the kernel's
// hid-cp2112 (i2c-dev and the GPIO character device) or usbio over libusb.
// The comparison runs the same code against both, so the only difference in
// what is measured is the stack underneath.
//
// Calls return 0 or a positive errno value; last_error() says more about
// the most recent failure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace usbio::compare {

// The bench wires GPIO 0 to GPIO 1 (gadget --jumper 0:1): line 0 is driven,
// line 1 reads it back.
inline constexpr unsigned kOutputLine = 0;
inline constexpr unsigned kInputLine = 1;

class Stack {
public:
    virtual ~Stack() = default;

    // "kernel" or "usbio": the key of every result this stack reports.
    virtual const char* key() const = 0;
    // What exactly is being driven, for the record.
    virtual std::string describe() const = 0;

    virtual int gpio_set(int value) = 0;   // kOutputLine
    virtual int gpio_get(int& value) = 0;  // kInputLine
    virtual int i2c_write(uint8_t addr, std::span<const uint8_t> data) = 0;
    // Write, repeated START, read: one combined transfer.
    virtual int i2c_write_read(uint8_t addr, std::span<const uint8_t> out, std::span<uint8_t> in) = 0;

    // The longest read of one write-read transfer this stack accepts.
    virtual std::size_t max_read() const = 0;
    virtual std::string last_error() const = 0;

    // Called once after an unplug made a call fail: what the stack itself
    // says about the device now (key, value pairs reported as results).
    virtual std::vector<std::pair<std::string, std::string>> after_unplug() { return {}; }
};

}  // namespace usbio::compare
