// SPDX-License-Identifier: Apache-2.0
// The sim transport: a DeviceModel hosted in-process behind the Transport
// interface, so chip drivers run unchanged with no hardware. It adds the
// fault injection tests need (unplug now, unplug at the Nth transfer).
//
// Behaviour, beyond the Transport contract:
// - One event thread per transport, started by the constructor and joined by
//   the destructor. It is the only thread that calls the model's USB entry
//   points (control, out_packet, in_packet) and it runs every completion and
//   the disconnect callback.
// - Control transfers go to model->control(); IN data is truncated to wLength,
//   a stall completes with EPIPE. An OUT control transfer needs
//   data.size() == wLength (EINVAL otherwise).
// - Interrupt/bulk OUT data is split into packets of the endpoint's max packet
//   size (from identity()); an empty transfer sends one zero-length packet; a
//   refused packet completes with EPIPE, `actual` counting what was accepted.
// - Interrupt/bulk IN transfers on one endpoint are served in order. Each
//   waits (parked) until the model yields packets; it completes when it holds
//   the length asked for or a short packet arrived. More data than asked for
//   (or a packet above max packet size) completes with EOVERFLOW. A parked
//   transfer is retried when the model's in-ready notifier fires.
// - An endpoint not in identity(), a type that does not match it, or a
//   negative timeout: submit returns 0 and the transfer completes with EINVAL.
// - A timeout, cancel, abort or unplug that hits a transfer while the model is
//   working on it takes effect when the model call returns: that status wins.
// - connected() is false once the device was unplugged or the transport
//   aborted; from then on every submit returns 0 and completes with ENODEV.
// - abort() completes pending transfers with ECANCELED (ENODEV if the device
//   had already left). unplug() completes them with ENODEV and reports the
//   disconnect once (after an abort() too); if no callback is registered yet, the report is made
//   when one is. A disconnect not yet reported when destruction starts is
//   dropped; pending transfers are completed (ECANCELED, or ENODEV after an
//   unplug) before the destructor returns.
// - Destroying the transport from its own event thread (inside a completion
//   or the disconnect callback) is allowed: the remaining completions run
//   before the destructor returns.
// - Completions and the disconnect callback must not block, and must not use
//   the synchronous helpers: everything else on this transport, their own
//   completions included, waits for them to return.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "usbio/usb/device_model.hpp"
#include "usbio/usb/transport.hpp"

namespace usbio::usb {

class SimTransport final : public Transport {
public:
    // `path` becomes identity().path (e.g. "sim:0"). Throws std::system_error
    // (EINVAL) when `model` is null.
    SimTransport(std::shared_ptr<DeviceModel> model, std::string path);
    ~SimTransport() override;

    SimTransport(const SimTransport&) = delete;
    SimTransport& operator=(const SimTransport&) = delete;

    const DeviceIdentity& identity() const override;
    TransferId submit(TransferRequest req, Completion done) override;
    void cancel(TransferId id) override;
    void abort() override;
    void on_disconnect(std::function<void()> cb) override;
    bool connected() const override;
    // Given to the model as the transport goes, unless it was unplugged.
    void set_release_request(const ControlSetup& setup, std::vector<uint8_t> data) override;

    // The device leaves now: every pending and later transfer completes with
    // ENODEV and the disconnect callback runs once on the event thread.
    // Idempotent; callable from any thread, including inside callbacks.
    void unplug();
    // Unplug when the n-th transfer submitted from now on (1-based) arrives;
    // that transfer completes with ENODEV, earlier ones are served normally.
    // n = 0 disarms a pending plan. A later call replaces an earlier one;
    // after an unplug or abort it has no effect.
    void unplug_at_transfer(uint64_t n);
    // Faults of one endpoint (0 for control), for transfers submitted from
    // now on: `cancelled` completes each with ECANCELED at once (submit
    // returns 0; IN transfers already parked on it end so too);
    // `unresponsive` never serves them and ignores their timeout and
    // cancel: only abort(), unplug() or destruction ends them. `none`
    // restores normal service for new ones.
    enum class EndpointFault : uint8_t { none, cancelled, unresponsive };
    void set_endpoint_fault(uint8_t endpoint, EndpointFault fault);
    // Transfers submitted since construction (refused ones included).
    uint64_t transfer_count() const;
    // Transfers submitted whose completion has not started yet.
    std::size_t in_flight() const;

    const std::shared_ptr<DeviceModel>& model() const { return model_; }

private:
    struct State;

    std::shared_ptr<DeviceModel> model_;
    DeviceIdentity identity_;
    std::shared_ptr<State> state_;
    std::thread thread_;
};

}  // namespace usbio::usb
