// SPDX-License-Identifier: Apache-2.0
// A Silicon Labs CP2112 (HID USB-to-SMBus bridge with 8 GPIO) as a USB
// device model: descriptors, HID feature reports on endpoint 0, output
// reports on interrupt OUT 0x01 and input reports on interrupt IN 0x81, as
// AN495 describes them, driving a simulated I2C bus.
//
// The object is the simulated hardware: it outlives unplug/replug, and
// reset() (bus reset or the Reset Device report) forgets only what the chip
// keeps in RAM. Fault hooks and world accessors may be called from any
// thread.
//
// In-ready notifications run on the model's own thread, never inside a call
// into the model, and never after set_in_ready_notifier() has returned with
// a new notifier. So do not call set_in_ready_notifier() while holding a lock
// the notifier itself takes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/sim_state.hpp"
#include "models/cp2112_engine.hpp"
#include "models/cp2112_gpio.hpp"
#include "models/cp2112_prom.hpp"
#include "models/cp2112_protocol.hpp"
#include "models/eeprom_24cxx.hpp"
#include "models/i2c_bus.hpp"
#include "models/lm75.hpp"
#include "models/pca953x.hpp"
#include "models/pcf857x.hpp"
#include "usbio/usb/device_model.hpp"

namespace usbio::models {

// Ways the next input reports can be broken instead of correct.
enum class Cp2112Malform : uint8_t {
    short_report,     // truncated to 3 bytes
    bad_length,       // 0x13 byte count 62 (> 61); 0x16 bytes-received 0xFFFF (> 512)
    bad_status,       // status0 = 0x07
    wrong_report_id,  // report ID 0x3F
};

struct Cp2112Options {
    std::string serial = "0001";
    // 1: no repeated START in write-read requests (erratum CP2112_E10);
    // 1 and 2: auto-sent write-read replies start with the address bytes
    // (erratum CP2112_E101); 3: both fixed.
    uint8_t device_version = 2;
    bool with_eeprom = true;  // 24C32 at 0x50
    bool with_sensor = true;  // LM75 at 0x48
    std::chrono::microseconds eeprom_write_cycle{5000};
    // Size, pages and addressing of the EEPROM (its write cycle is the one above).
    Eeprom24cxxConfig eeprom_part{};
    bool with_expanders = true;  // PCA9555 at 0x20, PCF8574 at 0x38
};

class Cp2112Model final : public usb::DeviceModel {
public:
    static constexpr uint8_t kEepromAddress = 0x50;
    static constexpr uint8_t kSensorAddress = 0x48;
    static constexpr uint8_t kExpanderAddress = 0x20;
    static constexpr uint8_t kPcfAddress = 0x38;

    explicit Cp2112Model(Cp2112Options options = {});
    ~Cp2112Model() override;
    Cp2112Model(const Cp2112Model&) = delete;
    Cp2112Model& operator=(const Cp2112Model&) = delete;

    // usb::DeviceModel
    usb::DeviceIdentity identity() const override;
    std::vector<uint8_t> device_descriptor() const override;
    std::vector<uint8_t> config_descriptor() const override;
    usb::ControlReply control(const usb::ControlSetup& setup, std::span<const uint8_t> out) override;
    bool out_packet(uint8_t endpoint, std::span<const uint8_t> data) override;
    std::optional<std::vector<uint8_t>> in_packet(uint8_t endpoint) override;
    void set_in_ready_notifier(std::function<void()> notify) override;
    void reset() override;

    // The simulated world ----------------------------------------------------
    // The bus behind the bridge; attach more targets to it at will.
    std::shared_ptr<I2cBus> bus() const { return bus_; }
    std::shared_ptr<Eeprom24cxx> eeprom() const { return eeprom_; }  // null without
    std::shared_ptr<Lm75> sensor() const { return sensor_; }         // null without
    std::shared_ptr<Pca953x> expander() const { return expander_; }  // null without
    std::shared_ptr<Pcf857x> pcf() const { return pcf_; }            // null without

    // Fault hooks ------------------------------------------------------------
    void set_nack(uint8_t addr7, bool nack);
    void set_bus_stuck(bool stuck);
    // The next `count` input reports leave malformed (appended after any
    // still pending).
    void malform_next_reports(Cp2112Malform kind, unsigned count = 1);
    // Extra time every transfer stays Busy before its outcome shows.
    void set_slow(std::chrono::microseconds extra_busy_time);
    // The next input report with this ID is held back: it is sent `delay`
    // after it was produced, or sooner, when an output report with ID
    // `released_by` arrives (ahead of that request's own reply). Reports
    // produced meanwhile overtake it: a reply that turns up late, after the
    // host has moved on to its next request.
    void delay_next_report(uint8_t report_id, std::chrono::milliseconds delay,
                           std::optional<uint8_t> released_by = std::nullopt);
    // A silent chip: input reports are produced but never sent.
    void set_silent(bool silent);
    // Sends `report` (padded to 64 bytes) `count` times, unasked.
    void send_unsolicited(std::vector<uint8_t> report, unsigned count = 1);
    // Data Read Responses carry at most `n` bytes (1..61; 61 is the chip).
    void set_max_read_chunk(std::size_t n);

    // What the host sent ---------------------------------------------------
    // Output reports received on the interrupt OUT endpoint or as SET_REPORT
    // (output), oldest first; the latest 4096 are kept.
    std::vector<std::vector<uint8_t>> output_reports() const;
    // Output reports the chip refused or ignored as malformed or out of
    // AN495's limits (unknown ID, bad length or count, wrong constant byte).
    unsigned rejected_requests() const;
    // Input reports produced and not yet taken by the host.
    std::size_t pending_input_reports() const;

    // World accessors ----------------------------------------------------------
    void set_input_level(unsigned pin, int level);
    int pin_level(unsigned pin) const;
    std::vector<uint8_t> eeprom_contents() const;  // empty without EEPROM
    void set_temperature_millicelsius(int mc);     // ignored without sensor
    cp2112::SmbusConfig smbus_config() const;
    // The one-time programmable fields. The USB descriptors keep the
    // identity the model was made with: a real chip shows programmed values
    // only after it enumerates again.
    cp2112::PromFields prom() const;
    void set_prom(cp2112::PromFields fields);
    // Report 0x02 as the chip holds it.
    std::array<uint8_t, cp2112::kGpioConfigLen> gpio_config() const;

    // Saved state (common/sim_state.hpp, records in cp2112_state.cpp): what
    // the chip keeps in RAM while powered (GPIO and SMBus configuration,
    // output latches), the levels the world puts on the pins, and the
    // targets' contents. load_state() checks every record (sim_state::Bad)
    // before it changes anything.
    void save_state(drivers::sim_state::Writer& out) const;
    void load_state(drivers::sim_state::Reader& in);

private:
    using Clock = std::chrono::steady_clock;

    usb::ControlReply standard_request(const usb::ControlSetup& setup);
    usb::ControlReply class_request(const usb::ControlSetup& setup, std::span<const uint8_t> out);
    std::optional<std::vector<uint8_t>> get_feature_locked(uint8_t id) const;
    bool set_feature_locked(uint8_t id, std::span<const uint8_t> data);
    void output_report_locked(std::span<const uint8_t> data);
    void reset_locked();

    // A report held back by delay_next_report().
    struct Held {
        std::vector<uint8_t> data;
        Clock::time_point release_at;
        std::optional<uint8_t> released_by;
    };
    struct Delay {
        uint8_t report_id = 0;
        std::chrono::milliseconds delay{0};
        std::optional<uint8_t> released_by;
    };

    void queue_locked(std::vector<uint8_t> report);
    void send_locked(std::vector<uint8_t> report);
    // Sends the held reports due at `now` or released by output report
    // `request`.
    void release_held_locked(Clock::time_point now, std::optional<uint8_t> request);
    void log_request_locked(std::span<const uint8_t> data, bool accepted);
    void queue_read_response_locked(const cp2112::ReadChunk& chunk);
    void collect_auto_locked();
    void apply_malform_locked(std::vector<uint8_t>& report);
    void worker();

    const Cp2112Options options_;
    const std::shared_ptr<I2cBus> bus_;
    std::shared_ptr<Eeprom24cxx> eeprom_;
    std::shared_ptr<Lm75> sensor_;
    std::shared_ptr<Pca953x> expander_;
    std::shared_ptr<Pcf857x> pcf_;

    mutable std::mutex mu_;
    std::condition_variable cv_;
    cp2112::TransferEngine engine_;
    cp2112::Gpio gpio_;
    cp2112::SmbusConfig smbus_;
    cp2112::Prom prom_;  // survives reset
    uint8_t configuration_ = 0;
    std::deque<std::vector<uint8_t>> in_queue_;
    std::vector<Held> held_;
    std::deque<std::pair<Cp2112Malform, unsigned>> malform_;
    std::deque<Delay> delays_;
    bool silent_ = false;
    std::deque<std::vector<uint8_t>> request_log_;
    unsigned rejected_ = 0;
    bool notify_pending_ = false;
    bool stopping_ = false;

    std::mutex notify_mu_;  // held while the notifier runs
    std::function<void()> notifier_;

    std::thread worker_;  // last: starts after everything above exists
};

}  // namespace usbio::models
