// SPDX-License-Identifier: Apache-2.0
// The Host behind usbio::usb::attach: enumeration, hotplug or polling, and
// binding adapters to their drivers.
//
// Threads:
// - the LibusbContext's event thread runs libusb's callbacks. The hotplug
//   callback only queues the event (with a device reference) for the
//   worker: libusb forbids opening or closing devices there.
// - the worker thread (one per Host) takes arrivals and departures in order,
//   re-enumerates when polling, and does all opening, claiming and probing.
//   Probing waits for completions on the event thread, which is why it is
//   never done on it.
// - core's removal threads: a departure only *requests* removal; core tears
//   the driver down on a thread of its own, and the transport's destructor
//   waits there for its completions on the event thread.
// The start-up enumeration runs on the thread that calls start(), after the
// hotplug callback is registered (so nothing that arrives in between is
// missed) and before the worker starts; events for devices already handled
// are recognised by bus number and address and ignored.
//
// A device can lose its interfaces and get them back while it stays on the
// bus at the same address (authorized=0 then 1 in sysfs, a reset): libusb
// reports neither. Its driver sees the device gone and core removes it;
// the host hears of every removal of a device in its Context (however it
// started: the transport's report, a call that saw ENODEV, the host's own
// departure) and then binds the interface again once it can, trying every
// poll_interval while any interface of a device still on the bus is unbound
// for a reason that can pass (see Unbound).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "host/binding.hpp"
#include "host/chip_table.hpp"
#include "host/work_queue.hpp"
#include "usbio/events.hpp"
#include "usbio/usb.hpp"
#include "usbio/usb/libusb_context.hpp"

namespace usbio::host {

class UsbHost final : public usb::Host {
public:
    // `api` is libusb itself (attach) or a stand-in (tests); `table` the
    // chips to bind.
    static Result<std::shared_ptr<UsbHost>> start(Context& ctx, std::shared_ptr<usb::LibusbApi> api,
                                                  usb::Options options, std::vector<ChipEntry> table);
    ~UsbHost() override;

    usb::Watch watch() const override { return watch_; }
    std::vector<usb::UnboundAdapter> unbound() const override;
    bool settle(std::chrono::milliseconds timeout) override;

private:
    using Key = std::pair<uint8_t, uint8_t>;  // bus number, device address: unique while plugged in

    // A supported device on the bus.
    struct Present {
        libusb_device* dev = nullptr;  // referenced
        const ChipEntry* entry = nullptr;
        std::string path;
        std::vector<Binding> bound;
        std::vector<Unbound> unbound;
    };

    UsbHost(Context& ctx, std::shared_ptr<usb::LibusbContext> lctx, usb::Options options, std::vector<ChipEntry> table);

    static int LIBUSB_CALL on_hotplug(libusb_context* ctx, libusb_device* dev, libusb_hotplug_event event,
                                      void* user_data);
    void worker();
    void scan();
    void arrive(libusb_device* dev);
    void depart(const Key& key);
    // Binds again the interfaces of a device still on the bus whose driver
    // has gone, or which could not be opened.
    void rebind(const Key& key);
    bool rebind_wanted() const;
    std::variant<Binding, Unbound> bind(const Present& p, uint8_t interface);
    Key key_of(libusb_device* dev) const;
    std::string read_serial(libusb_device* dev, const std::string& who);

    Context& ctx_;
    std::shared_ptr<usb::LibusbContext> lctx_;
    usb::LibusbApi& api_;
    const usb::Options options_;
    const std::vector<ChipEntry> table_;
    usb::Watch watch_ = usb::Watch::none;
    WorkQueue queue_;
    // How core's removals reach the worker. Removed events come on core's
    // removal threads, possibly while the Host is destroyed; the destructor
    // clears `queue` first, and nothing then touches it.
    struct Waker {
        std::mutex mu;
        WorkQueue* queue = nullptr;
    };
    const std::shared_ptr<Waker> waker_ = std::make_shared<Waker>();
    // Core's removed events: a bound interface is free to bind again.
    Subscription removals_;
    bool hotplug_registered_ = false;
    libusb_hotplug_callback_handle hotplug_handle_{};
    std::thread worker_;

    mutable std::mutex mu_;  // present_: written by one thread at a time (start, then the worker), read by unbound()
    std::map<Key, Present> present_;
    std::vector<Key> order_;  // keys in arrival order
};

}  // namespace usbio::host
