// SPDX-License-Identifier: Apache-2.0
// The registry of adapters an application works with.
//
// Drivers and transports (simulated or USB) add devices to a Context; the
// application lists them, opens gpio chips and i2c buses on them, and hears
// about arrivals and removals. Destroying the Context removes every device it
// still holds (full six-step removal), so handles that outlive it simply
// return ENODEV.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "usbio/device.hpp"
#include "usbio/events.hpp"
#include "usbio/export.hpp"

namespace usbio {

namespace detail {
class ContextCore;
struct Access;
}  // namespace detail

class USBIO_EXPORT Context {
public:
    Context();
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    // Present devices in arrival order: the index used on the command line.
    std::vector<Device> devices() const;

    // Finds a present device by index ("0"), serial number, USB port path
    // ("1-2.3", "sim:0") or id. Fails with ENODEV and a message listing what
    // was tried when nothing matches.
    Result<Device> find(std::string_view selector) const;

    Subscription subscribe(std::function<void(const Event&)> callback);
    EventStream events();

    // Blocks until every removal started asynchronously (for example by a
    // driver that saw the device vanish) has finished and its events have
    // been delivered. For orderly shutdown and tests. From an event callback
    // it does not wait for the events queued behind that callback.
    void settle();

private:
    friend struct detail::Access;
    std::shared_ptr<detail::ContextCore> core_;
};

}  // namespace usbio
