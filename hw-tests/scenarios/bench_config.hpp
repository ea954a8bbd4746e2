// SPDX-License-Identifier: Apache-2.0
// What the bench around the adapter looks like, from environment variables
// (hw-tests/README.md lists them). Defaults describe the documented wiring:
// a 24C32-style EEPROM at 0x50, an LM75-style sensor at 0x48 (optional
// unless named), jumper wires GPIO.0->GPIO.1 and GPIO.2->GPIO.3.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace usbio::hw {

// An output pin wired to an input pin.
struct LoopbackPair {
    unsigned out = 0;
    unsigned in = 0;
};

enum class UnplugMethod {
    automatic,  // command if given, else uhubctl if given, else sysfs
    command,    // USBIO_HW_UNPLUG_CMD / USBIO_HW_REPLUG_CMD through /bin/sh
    uhubctl,    // a switchable hub port
    sysfs,      // deauthorise the device (root only)
    none,       // unplug scenarios skip
};

struct BenchConfig {
    std::string driver = "cp2112";
    std::string serial_env;  // the variable that names the adapter
    std::string serial;      // empty: no adapter named, everything skips

    std::optional<uint16_t> eeprom_addr = 0x50;
    unsigned eeprom_offset = 0x0f00;  // scratch page; its contents are restored
    unsigned eeprom_page = 32;
    unsigned eeprom_addr_bytes = 2;

    std::optional<uint16_t> sensor_addr = 0x48;
    bool sensor_required = false;  // true when USBIO_HW_SENSOR_ADDR names it

    std::vector<LoopbackPair> loopback = {{0, 1}, {2, 3}};

    UnplugMethod unplug = UnplugMethod::automatic;
    std::string unplug_cmd;
    std::string replug_cmd;
    std::string uhubctl = "uhubctl";
    std::string hub_location;
    std::string hub_port;

    // Makes the adapter misbehave: run with the fault's words appended
    // (USBIO_HW_FAULT_CMD; the virtual bench's gadget). Empty: FaultTest skips.
    std::string fault_cmd;

    // Longest accepted time from the start of an unplug to ENODEV in a
    // blocked caller, and to the adapter's return after a re-plug.
    std::chrono::milliseconds enodev_limit{2000};
    std::chrono::milliseconds replug_limit{20000};

    // Malformed variables, each as "NAME: why".
    std::vector<std::string> problems;

    bool adapter_named() const { return !serial.empty(); }
};

// Reads the environment once.
BenchConfig load_config();

const char* to_string(UnplugMethod m) noexcept;

}  // namespace usbio::hw
