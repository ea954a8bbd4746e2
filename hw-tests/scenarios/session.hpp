// SPDX-License-Identifier: Apache-2.0
// A Context with the machine's real adapters attached (libusb, watching for
// hotplug), and finding the bench's adapter in it by serial number.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "usbio/usbio.hpp"

namespace usbio::hw {

class Session {
public:
    static Result<std::unique_ptr<Session>> start();
    ~Session();  // the Host goes first, then the Context

    Context& ctx() { return ctx_; }
    usb::Host& host() { return *host_; }

    // The present adapter with this serial number, waiting up to `timeout`
    // for it to arrive. ENODEV with inventory() in the message otherwise.
    Result<Device> wait_for(const std::string& serial, std::chrono::milliseconds timeout);

    // What is there: bound adapters and the supported ones left unbound, with why.
    std::string inventory() const;

private:
    Session() = default;
    Context ctx_;
    std::shared_ptr<usb::Host> host_;
};

const char* to_string(usb::Watch w) noexcept;

// When the removed event for one device arrives.
class RemovalWatch {
public:
    RemovalWatch(Context& ctx, std::string device_id);
    // The time the removed event was delivered, waiting up to `timeout`.
    std::optional<std::chrono::steady_clock::time_point> wait(std::chrono::milliseconds timeout);

private:
    struct State;
    std::shared_ptr<State> st_;
    Subscription sub_;
};

}  // namespace usbio::hw
