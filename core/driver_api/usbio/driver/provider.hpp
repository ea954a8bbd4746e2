// SPDX-License-Identifier: Apache-2.0
// What a driver implements and how it registers with core.
//
// A provider is one driver instance bound to one adapter. Core holds it
// behind the device's revocable ops pointer: every call into GpioOps or
// I2cOps happens inside a guarded section, and removal (DeviceLink) follows
// the six steps of the design:
//   1. no new call enters the ops (ENODEV);
//   2. Provider::abort_io() makes calls already inside return promptly;
//   3. core waits for those calls to leave;
//   4. the Provider is destroyed (its destructor releases the USB device);
//   5. subscribers hear a removed event;
//   6. every later call on any handle returns ENODEV.
// Drivers never see user handles; this header is all of core they use.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "usbio/device.hpp"
#include "usbio/driver/config_ops.hpp"
#include "usbio/gpio.hpp"
#include "usbio/i2c.hpp"

namespace usbio {
class Context;
}

namespace usbio::driver {

struct EepromDesc;
class EepromOps;

// Physical configuration of one GPIO line (values are physical levels;
// active-low is applied by core).
struct GpioLineConfig {
    Direction direction = Direction::input;
    Drive drive = Drive::push_pull;
    bool value = false;  // level to drive when an output
    // Read only: non-empty when the chip uses the line for something else
    // (an LED toggle, a clock output), so it cannot be requested.
    std::string function;
};

class GpioOps {
public:
    virtual ~GpioOps() = default;
    // Applies one line's configuration. For an output, the value must be on
    // the pin no later than the direction change allows on this chip.
    virtual std::error_code configure(unsigned offset, const GpioLineConfig& cfg) = 0;
    // Reads the current configuration of a line (for line_info).
    virtual std::error_code get_config(unsigned offset, GpioLineConfig& cfg) = 0;
    // Levels of the lines in mask (bit n = line n).
    virtual std::error_code get(uint64_t mask, uint64_t& levels) = 0;
    // Drives the output lines in mask to the levels in `levels`.
    virtual std::error_code set(uint64_t mask, uint64_t levels) = 0;
};

struct GpioChipDesc {
    std::string name;                     // "cp2112-<serial>"
    std::string label;                    // "cp2112_gpio"
    std::vector<std::string> line_names;  // size = number of lines; "" = unnamed
};

class I2cOps {
public:
    virtual ~I2cOps() = default;
    // Messages were checked by core against I2cBusInfo (addresses 0..0x7f,
    // lengths within max_*, at most a write then a read when repeated_start).
    // Returns ENXIO for no ACK, ETIMEDOUT, EIO/EPROTO, EOPNOTSUPP, ENODEV.
    virtual std::error_code transfer(std::span<I2cMsg> msgs) = 0;
    virtual std::error_code set_bitrate(uint32_t hz) = 0;
    virtual std::error_code get_bitrate(uint32_t& hz) = 0;
    // Words for this thread's last failed transfer() beyond its error code
    // ("byte 3 of message 0 to 0x50 not acknowledged"), or empty. Core asks
    // right after the failure, inside the same call, and puts it in the
    // error message.
    virtual std::string failure_detail() { return {}; }
};

class Provider {
public:
    // Step 4: release the interface, close the transport, free everything.
    // Runs once, after every call has left the ops; never concurrently
    // with an ops call.
    virtual ~Provider() = default;
    // Step 2: cancel in-flight transfers and wake every waiter so that calls
    // inside the ops return (with ENODEV) promptly. Called from any thread,
    // possibly while ops calls run on others; may be called more than once.
    virtual void abort_io() noexcept = 0;
};

// The driver's (or transport's) side of a device: used to report that the
// adapter went away. Holds no strong reference; safe to keep in callbacks
// that may outlive the device.
class DeviceLink {
public:
    DeviceLink() = default;
    // Starts removal. Returns at once; completes on a core thread once the
    // last call has left the ops. Safe from inside an ops call, from a
    // transport's event thread and concurrently with itself. Before the
    // device is published (during probe) it marks the slot departed, so
    // that the device is never published.
    void request_remove() const;
    // Full synchronous removal. From inside an ops call of the same device
    // it degrades to request_remove() (it cannot wait for itself).
    void remove() const;
    bool alive() const;
    // Removal has finished (or the device never existed): the driver is
    // freed and holds nothing of the adapter any more.
    bool gone() const;

    explicit DeviceLink(std::weak_ptr<detail::DeviceCore> core) : core_(std::move(core)) {}

private:
    std::weak_ptr<detail::DeviceCore> core_;
};

// Core's record of one adapter before its driver has probed it. The binder
// (the libusb host, a simulated adapter) makes the slot first and wires the
// transport's departure report to link(), then hands the slot to the
// driver's probe, which publishes into it. A departure reported at any
// point therefore reaches the one record: before publish() it makes
// publish() fail with ENODEV (the device never appears); after, it removes
// the device as any unplug does.
class DeviceSlot {
public:
    explicit DeviceSlot(Context& ctx);
    // A slot never published frees its record here.
    ~DeviceSlot();
    DeviceSlot(const DeviceSlot&) = delete;
    DeviceSlot& operator=(const DeviceSlot&) = delete;

    DeviceLink link() const;
    // The adapter was reported gone (before or after publishing).
    bool departed() const;
    // The device published here sits on `supplier` (a client chip on an
    // adapter's bus; bind_client() sets it before the client's probe, which
    // never sees the adapter), as DeviceBuilder::depends_on says.
    void depends_on(const Device& supplier);

private:
    friend class DeviceBuilder;
    std::shared_ptr<detail::DeviceCore> core_;
    std::vector<Device> suppliers_;
};

// Assembles a device and publishes it into its slot.
class DeviceBuilder {
public:
    DeviceBuilder(DeviceSlot& slot, DeviceInfo info);
    ~DeviceBuilder();
    DeviceBuilder(const DeviceBuilder&) = delete;
    DeviceBuilder& operator=(const DeviceBuilder&) = delete;

    // ops must live inside (or as long as) the provider passed to publish().
    void add_gpio_chip(GpioChipDesc desc, GpioOps& ops);
    void add_i2c_bus(I2cBusInfo info, I2cOps& ops);
    // The chip's configuration settings (at most one set per device).
    void add_config(std::vector<ConfigSpec> specs, ConfigOps& ops);
    // A serial EEPROM (client drivers; usbio/driver/client.hpp).
    void add_eeprom(EepromDesc desc, EepromOps& ops);
    // Marks this device as sitting on `supplier` (an expander on another
    // adapter's bus): it is removed before its supplier is.
    void depends_on(const Device& supplier);

    // Registers the device and fires the arrival event; the slot's link is
    // how the adapter's departure is reported. Fails with ENODEV (and frees
    // the provider) when the adapter left before this: the device never
    // appears. One that leaves while publish() runs appears and is then
    // removed. A slot is published at most once.
    Result<Device> publish(std::unique_ptr<Provider> provider);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace usbio::driver
