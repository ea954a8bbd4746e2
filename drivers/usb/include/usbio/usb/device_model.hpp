// SPDX-License-Identifier: Apache-2.0
// A simulated USB device, as seen from the wire: descriptors, control
// requests on endpoint 0, and packets on interrupt/bulk endpoints.
//
// Chip models (CP2112, MPSSE) implement this. Two hosts drive a model: the
// in-process sim transport, and (later) a FunctionFS gadget that serves the
// same model to a real USB host. Because of the second, a model knows nothing
// of transfers, callbacks or the driver; it only answers what a chip answers.
//
// Thread safety: a model is called from one host thread at a time for USB
// traffic, but test hooks (fault injection, pin levels) may be called from
// other threads; models lock internally.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "usbio/usb/transport.hpp"

namespace usbio::usb {

struct ControlReply {
    bool stall = false;         // protocol STALL on the data/status stage
    std::vector<uint8_t> data;  // IN data stage (truncated by the host to wLength)
};

class DeviceModel {
public:
    virtual ~DeviceModel() = default;

    // Identity and interface layout (endpoint addresses, max packet sizes).
    virtual DeviceIdentity identity() const = 0;
    // Full configuration descriptor set and class descriptors, as bytes, for
    // a host that needs them (FunctionFS). The sim transport does not.
    virtual std::vector<uint8_t> device_descriptor() const = 0;
    virtual std::vector<uint8_t> config_descriptor() const = 0;

    // A control request; `out` holds the OUT data stage (empty for IN).
    virtual ControlReply control(const ControlSetup& setup, std::span<const uint8_t> out) = 0;
    // A packet the host sent on an OUT endpoint. Returns false to STALL.
    virtual bool out_packet(uint8_t endpoint, std::span<const uint8_t> data) = 0;
    // The host's IN token: a packet if the device has one ready, else
    // nullopt (NAK; the host retries when notified).
    virtual std::optional<std::vector<uint8_t>> in_packet(uint8_t endpoint) = 0;
    // The model calls this (from any thread) when an IN endpoint may have
    // data ready, so the host can retry NAKed IN tokens.
    virtual void set_in_ready_notifier(std::function<void()> notify) = 0;

    // Bus reset / re-plug: forget transient state (pending reports, in-
    // progress transfers) but keep non-volatile state (EEPROM contents).
    virtual void reset() = 0;
};

}  // namespace usbio::usb
