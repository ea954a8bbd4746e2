// SPDX-License-Identifier: Apache-2.0
// Core's record of one adapter, and the six-step removal.
//
// User handles hold counted references to this record (directly, or aliased
// through a gpio chip / i2c bus inside it), never to driver memory. The
// driver's Provider is reachable only through `ops`, the revocable pointer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "revocable.hpp"
#include "usbio/device.hpp"
#include "usbio/driver/provider.hpp"

namespace usbio::detail {

class ContextCore;
class EepromCore;
class GpioChipCore;
class I2cBusCore;

// What the revocable pointer protects: the provider and the ops of its gpio
// chips and i2c buses (by index). Core reaches a driver only through this
// table, and only inside a section: no ops pointer is kept anywhere else.
struct DriverOps {
    driver::Provider* provider = nullptr;
    std::vector<driver::GpioOps*> gpio;
    std::vector<driver::I2cOps*> i2c;
    driver::ConfigOps* config = nullptr;  // null: nothing to configure
    std::vector<driver::EepromOps*> eeprom;
};

class DeviceCore : public std::enable_shared_from_this<DeviceCore> {
public:
    // A slot: the record exists, unpublished, before the driver probes, so
    // the transport's departure report has somewhere to go from the start.
    explicit DeviceCore(std::weak_ptr<ContextCore> ctx);
    ~DeviceCore();

    // What probe built. Called once, before publish(), by the thread that
    // probes; nothing else reads these before the record is published.
    void install(DeviceInfo info, std::unique_ptr<driver::Provider> provider, DriverOps ops);
    // Registers the record with its context (arrival event). False when the
    // adapter was reported gone before: the provider is freed, nothing is
    // registered and the record is gone. A departure reported while this
    // runs removes the device once it is registered.
    bool publish();
    // A departure was reported (before or after publishing).
    bool departed() const;

    const DeviceInfo& info() const noexcept { return info_; }
    DeviceState state() const noexcept { return state_.load(std::memory_order_acquire); }

    // Every call into the driver goes through here: enter the ops, run
    // fn(ops table) unless the device is gone, leave, and only then build the
    // error, so no message is formatted while the section is held. `what`
    // returns the operation's description (built only on failure).
    template <class Fn, class What>
    Result<void> call(Fn&& fn, What&& what) {
        return call_as([this] { return info_.display_name(); }, fn, what);
    }
    // The same, the message naming `subject()` instead of the device (an
    // EEPROM names itself with its address and adapter).
    template <class Subject, class Fn, class What>
    Result<void> call_as(Subject&& subject, Fn&& fn, What&& what) {
        std::error_code ec;
        bool gone = false;
        {
            auto g = ops_.enter();
            if (!g)
                gone = true;
            else
                ec = fn(*g.get());
        }
        if (gone) return gone_error_as(subject(), what());
        if (ec) return call_error_as(ec, subject(), what());
        return {};
    }

    // Full removal, synchronous. From a thread that is inside a call on this
    // device (or on one of its consumers) it degrades to request_remove().
    // Before publish() both only mark the record departed.
    void remove();
    // Step 1 now (new calls fail from this instant), steps 2-6 on a core
    // thread; returns at once.
    void request_remove();
    bool wait_gone(std::chrono::milliseconds timeout) const;

    // Stop is requested at step 1. Core's own waits (edge events) wait on it,
    // so removal wakes them as abort_io() wakes the driver's.
    std::stop_token removal_token() const noexcept { return removal_stop_.get_token(); }

    // "<adapter>: <what>: device gone", ENODEV.
    Error gone_error(const std::string& what) const { return gone_error_as(info_.display_name(), what); }
    Error gone_error_as(const std::string& subject, const std::string& what) const;
    // Error for a failed driver call; ENODEV from a driver means the adapter
    // left, so this also starts removal. Any failure once removal has begun
    // is reported as ENODEV.
    Error call_error(std::error_code ec, const std::string& what) {
        return call_error_as(ec, info_.display_name(), what);
    }
    Error call_error_as(std::error_code ec, const std::string& subject, const std::string& what);

    // Subsystem objects, created before the device is published and fixed
    // afterwards.
    std::vector<std::unique_ptr<GpioChipCore>> gpio;
    std::vector<std::unique_ptr<I2cBusCore>> i2c;
    std::vector<driver::ConfigSpec> config_specs;
    std::vector<std::unique_ptr<EepromCore>> eeprom;

    // Registers a device that sits on this one (removed before it). False
    // once this device's removal has begun: the consumer must not appear.
    bool add_consumer(const std::shared_ptr<DeviceCore>& consumer);

private:
    bool begin_removal();             // step 1; true for the one caller that owns removal
    void finish_removal();            // steps 2-6 for this device and its consumers
    void abort_io() noexcept;         // step 2
    void drain_and_teardown();        // steps 3-4
    void mark_gone();                 // steps 5-6
    bool held_here() const noexcept;  // this thread is inside this device or a consumer
    bool unpublished_departure();     // marks an unpublished record departed; false once published
    std::vector<std::shared_ptr<DeviceCore>> consumers() const;

    const std::weak_ptr<ContextCore> ctx_;
    // Set by install() before publication, fixed afterwards.
    DeviceInfo info_;
    std::atomic<DeviceState> state_{DeviceState::present};
    // Read by calls only through ops_; step 2 uses table_.provider directly
    // after ops_ is null (the provider lives until step 4). Set by install().
    DriverOps table_;
    Revocable<const DriverOps> ops_;
    // Owned here, reachable by calls only through ops_; destroyed in step 4.
    std::unique_ptr<driver::Provider> provider_;

    mutable std::mutex mu_;
    mutable std::condition_variable gone_cv_;
    bool published_ = false;
    bool departed_ = false;
    bool removal_started_ = false;
    bool gone_ = false;
    std::vector<std::weak_ptr<DeviceCore>> consumers_;
    std::stop_source removal_stop_;
};

}  // namespace usbio::detail
