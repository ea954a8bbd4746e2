// SPDX-License-Identifier: Apache-2.0
// The device a gadget serves: a chip model, what FunctionFS must be told
// about it, and bench fixtures wired around it (jumper wires between pins).
//
// Every call into the model goes through this object, one at a time, as the
// DeviceModel contract asks of a host: ep0, OUT and IN are served by
// different threads here.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "traffic_counters.hpp"
#include "usbio/usb/device_model.hpp"

namespace usbio::vbench {

struct BenchOptions {
    std::string model = "cp2112";  // or "ft232h"
    std::string serial = "0001";
    // (from, to): pin `to` sees pin `from`'s level as its outside input
    // (pins are GPIO line numbers as usbio counts them).
    std::vector<std::pair<unsigned, unsigned>> jumpers;
    // EEPROM internal write cycle; -1 keeps the model's default. A long one
    // makes a host's wait for it observable even when the host is slow; 0
    // lets writes follow each other at once (timing writes alone).
    int eeprom_write_ms = -1;
    // The EEPROM's part by at24 type name ("24c512"); empty keeps the
    // model's 24C32.
    std::string eeprom_part;
    // The CP2112's device version (report 0x05): 1, 2 or 3; none keeps the
    // model's 2. It decides repeated START and Auto Send Read's erratum.
    std::optional<unsigned long> device_version;
    // Where to count the transfers served (traffic_counters.hpp); none if empty.
    std::string counters;
};

// A number in a world command, in C syntax (0x.. for hex); false for
// anything else.
bool world_number(const std::string& s, long& out);

class BenchDevice {
public:
    using World = std::function<std::string(const std::vector<std::string>&)>;

    // nullptr (with `error`) for an unknown model name or a bad fixture.
    static std::unique_ptr<BenchDevice> make(const BenchOptions& options, std::string& error);

    // FunctionFS flags the chip needs. Vendor chips that take requests with
    // recipient "device" need FUNCTIONFS_ALL_CTRL_RECIP, or they never see them.
    uint32_t ffs_flags() const { return ffs_flags_; }
    std::vector<uint8_t> device_descriptor() const;
    std::vector<uint8_t> config_descriptor() const;
    usb::DeviceIdentity identity() const;

    // A SETUP arrived (counted before its OUT data is read: the host's
    // transfer may end as soon as that is taken).
    void setup_received();
    usb::ControlReply control(const usb::ControlSetup& setup, std::span<const uint8_t> out);
    // `last`: the packet ends the host's transfer (it is short).
    bool out_packet(uint8_t endpoint, std::span<const uint8_t> data, bool last);
    std::optional<std::vector<uint8_t>> in_packet(uint8_t endpoint);
    void reset();
    // A command to the simulated world around the chip, split into words;
    // "ok" or "error: why". Per chip (the FT232H's: ftdi_bench.hpp); for
    // the CP2112:
    //   temperature MILLICELSIUS   the LM75's reading
    //   input PIN 0|1              the level outside an input pin
    //   nack ADDR7 0|1             a target NACKs its address
    //   stuck 0|1                  SCL held low
    //   slow MICROSECONDS          extra time every transfer stays busy
    //   malform KIND [COUNT]       the next COUNT input reports broken: short,
    //                              length (over-long length field), status,
    //                              id (wrong report ID)
    std::string world(const std::vector<std::string>& words);
    // Not serialised: the model's own rules for its notifier apply.
    void set_in_ready_notifier(std::function<void()> notify);

private:
    BenchDevice(std::shared_ptr<usb::DeviceModel> model, uint32_t flags, std::function<void()> after_change,
                World world)
        : model_(std::move(model)),
          ffs_flags_(flags),
          after_change_(std::move(after_change)),
          world_(std::move(world)) {}

    void count(TrafficCounters::Kind k) {
        if (counters_) counters_->count(k);
    }

    std::mutex mu_;
    const std::shared_ptr<usb::DeviceModel> model_;
    const uint32_t ffs_flags_;
    // Fixtures that follow the chip's outputs, which change on ep0 (CP2112)
    // or on bulk OUT (an MPSSE's pin commands).
    const std::function<void()> after_change_;
    const World world_;
    std::unique_ptr<TrafficCounters> counters_;
};

}  // namespace usbio::vbench
