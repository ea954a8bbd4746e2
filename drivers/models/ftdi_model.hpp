// SPDX-License-Identifier: Apache-2.0
// An FTDI FT232H / FT2232H / FT4232H as USB device models: one chip whose
// MPSSE ports are each a usb::DeviceModel of their own (one interface, its
// bulk IN/OUT pair), as a host sees them when it claims one interface.
// Endpoint 0 is shared by the ports on the real chip, so a vendor request
// arriving on any port acts on the port its wIndex names (1 = A, 2 = B).
// The ports share the chip's lifetime: they go away together.
//
// Each MPSSE port has its own I2C bus on AD0/AD1/AD2 (models::I2cBus with a
// 24C32 EEPROM at 0x50, an LM75 at 0x48, a PCA9555 at 0x20 and a PCF8574
// at 0x38 unless turned off) and its own
// GPIO pins, which tests drive and read.
//
// Thread safety: USB entry points and world hooks lock the chip; in-ready
// notifications are made outside that lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/eeprom_24cxx.hpp"
#include "models/i2c_bus.hpp"
#include "models/lm75.hpp"
#include "models/pca953x.hpp"
#include "models/pcf857x.hpp"
#include "usbio/usb/device_model.hpp"

namespace usbio::models {

enum class FtdiKind : uint8_t { ft232h, ft2232h, ft4232h };

struct FtdiOptions {
    FtdiKind kind = FtdiKind::ft232h;
    std::string serial = "FT000001";
    bool with_eeprom = true;
    bool with_sensor = true;
    std::chrono::microseconds eeprom_write_cycle{5000};
    // Size, pages and addressing of the EEPROM (its write cycle is the one above).
    Eeprom24cxxConfig eeprom_part{};
    bool with_expanders = true;  // PCA9555 at 0x20, PCF8574 at 0x38
};

class FtdiChipModel {
public:
    static constexpr uint8_t kEepromAddress = 0x50;
    static constexpr uint8_t kSensorAddress = 0x48;
    static constexpr uint8_t kExpanderAddress = 0x20;
    static constexpr uint8_t kPcfAddress = 0x38;

    explicit FtdiChipModel(FtdiOptions options = {});
    ~FtdiChipModel();
    FtdiChipModel(const FtdiChipModel&) = delete;
    FtdiChipModel& operator=(const FtdiChipModel&) = delete;

    // MPSSE ports (1 on FT232H, 2 on the others) and the device model of
    // each: port i is USB interface i.
    unsigned ports() const;
    std::shared_ptr<usb::DeviceModel> port(unsigned index) const;

    // The simulated world of one port --------------------------------------
    std::shared_ptr<I2cBus> bus(unsigned port) const;
    std::shared_ptr<Eeprom24cxx> eeprom(unsigned port) const;  // null without
    std::shared_ptr<Lm75> sensor(unsigned port) const;         // null without
    std::shared_ptr<Pca953x> expander(unsigned port) const;    // null without
    std::shared_ptr<Pcf857x> pcf(unsigned port) const;         // null without
    void attach_ten_bit(unsigned port, uint16_t addr10, std::shared_ptr<I2cTarget> target);
    // An outside driver on pin n (ADBUSn; 8+n is ACBUSn): 0, 1, or -1 for
    // none (the pull-up wins).
    void set_external(unsigned port, unsigned pin, int level);
    // Pin levels: bit n ADBUSn, bit 8+n ACBUSn.
    uint16_t pin_levels(unsigned port) const;
    bool mpsse(unsigned port) const;

    // What the model checks ---------------------------------------------------
    // Protocol violations seen (command stream and I2C waveform).
    std::vector<std::string> violations(unsigned port) const;
    void clear_violations(unsigned port);
    unsigned starts(unsigned port) const;
    unsigned stops(unsigned port) const;
    uint64_t commands(unsigned port) const;
    uint64_t gpio_changes(unsigned port) const;
    uint16_t divisor(unsigned port) const;
    bool three_phase(unsigned port) const;
    uint8_t latency_ms(unsigned port) const;
    // Bulk OUT transfers' packets and bulk IN packets with data, counted.
    uint64_t out_packets(unsigned port) const;
    uint64_t in_packets(unsigned port) const;

    // Faults ---------------------------------------------------------------
    void status_only_packets(unsigned port, unsigned n);
    void inject_bad_command(unsigned port, uint8_t opcode);
    // The next IN packet is cut to one byte (shorter than its status).
    void truncate_next_packet(unsigned port);

private:
    struct PortState;
    struct Shared;
    class Port;

    // Runs `f` on one port's state under the chip's lock.
    template <class F>
    auto with_port(unsigned port, F f) const;
    std::shared_ptr<Shared> sh_;
    std::vector<std::shared_ptr<Port>> ports_;
};

}  // namespace usbio::models
