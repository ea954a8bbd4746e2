// SPDX-License-Identifier: Apache-2.0
// The USB transport chip drivers speak: control, interrupt and bulk
// transfers, asynchronous with cancellation, plus synchronous helpers built on
// them. Two implementations sit behind it: sim (in-process chip models) and
// libusb (real devices). Drivers cannot tell them apart.
//
// Rules every implementation keeps:
// - A transfer owns its buffer; the completion callback receives the data.
//   Nothing is ever written into caller memory after a call returned, so a
//   caller that gave up (timeout, abort) cannot be corrupted by a late reply.
// - Completion callbacks run on the transport's event thread, never inside
//   submit(). They must not block. (The libusb transport may also run them
//   on a thread waiting in one of the synchronous helpers below, which
//   handles events meanwhile: see libusb_context.hpp.)
// - Every submitted transfer completes exactly once: done, error, timeout or
//   cancelled. After the device is gone every transfer completes with ENODEV.
// - abort() cancels everything in flight and makes every later submit fail
//   with ENODEV; it is for the removal path and cannot be undone.
// - Destruction waits for outstanding completions; no callback runs after
//   the destructor returns.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "usbio/usb/ch9.hpp"

namespace usbio::usb {

enum class TransferType : uint8_t { control, interrupt, bulk };

// The 8-byte SETUP packet of a control transfer.
struct ControlSetup {
    uint8_t bmRequestType = 0;
    uint8_t bRequest = 0;
    uint16_t wValue = 0;
    uint16_t wIndex = 0;
    uint16_t wLength = 0;
};

using ch9::kDirIn;  // endpoint address / bmRequestType direction bit

struct TransferRequest {
    TransferType type = TransferType::control;
    uint8_t endpoint = 0;                     // endpoint address incl. direction bit (0 for control)
    ControlSetup setup;                       // control only; direction from bmRequestType
    std::vector<uint8_t> data;                // OUT: bytes to send; IN: resized to the length wanted
    std::chrono::milliseconds timeout{1000};  // 0 = no timeout (only for parked IN reads)
};

struct TransferResult {
    std::error_code status;     // {} ok; ENODEV gone; ETIMEDOUT; ECANCELED; EPIPE stall; EIO; EOVERFLOW
    std::vector<uint8_t> data;  // IN: bytes received (size = actual length)
    std::size_t actual = 0;     // bytes transferred (OUT or IN)
};

using TransferId = uint64_t;
using Completion = std::function<void(TransferResult&&)>;

struct EndpointInfo {
    uint8_t address = 0;
    TransferType type = TransferType::bulk;
    uint16_t max_packet = 64;
};

struct InterfaceInfo {
    uint8_t number = 0;
    uint8_t klass = 0;  // bInterfaceClass
    std::vector<EndpointInfo> endpoints;
    uint8_t configuration = 1;  // bConfigurationValue of the configuration it is in
};

struct DeviceIdentity {
    uint16_t vid = 0;
    uint16_t pid = 0;
    uint16_t bcd_device = 0;
    std::string manufacturer;
    std::string product;
    std::string serial;
    std::string path;  // "1-2.3", or "sim:N"
    bool simulated = false;
    std::vector<InterfaceInfo> interfaces;
};

// A control OUT request kept for later (Transport::set_release_request).
struct HeldControl {
    ControlSetup setup;
    std::vector<uint8_t> data;
};

// Where a synchronous helper's completion leaves the result. Shared with
// the completion, so a caller that stopped waiting leaves nothing behind
// for a late reply to write into.
struct SyncCall {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    TransferResult result;
};

// The completion that leaves its result in `call`, notifies call->cv and
// then runs `wake` (Transport::waker()), if any.
Completion complete_into(std::shared_ptr<SyncCall> call, std::function<void()> wake);

class Transport {
public:
    virtual ~Transport() = default;

    virtual const DeviceIdentity& identity() const = 0;

    // Queues a transfer; `done` runs exactly once on the event thread.
    // Returns 0 and completes with ENODEV at once if the device is gone.
    virtual TransferId submit(TransferRequest req, Completion done) = 0;
    // Cancels one transfer (completes with ECANCELED unless already done).
    virtual void cancel(TransferId id) = 0;
    // Removal path: cancel all, refuse all later submits (ENODEV).
    virtual void abort() = 0;
    // Called once, on the event thread, when the transport learns the device
    // has left (a hotplug event, or a transfer failed with "no device").
    virtual void on_disconnect(std::function<void()> cb) = 0;
    virtual bool connected() const = 0;

    // Synchronous helpers: submit and wait. The wait ends on completion, on
    // the request's timeout, or on abort(), whichever comes first; for a
    // control transfer a transport runs itself (run_now()), on completion or
    // on the request's timeout.
    TransferResult run(TransferRequest req);
    std::error_code control_in(const ControlSetup& setup, std::vector<uint8_t>& out, std::chrono::milliseconds timeout);
    std::error_code control_out(const ControlSetup& setup, std::span<const uint8_t> data,
                                std::chrono::milliseconds timeout);
    std::error_code write(uint8_t endpoint, TransferType type, std::span<const uint8_t> data,
                          std::chrono::milliseconds timeout);
    std::error_code read(uint8_t endpoint, TransferType type, std::size_t length, std::vector<uint8_t>& out,
                         std::chrono::milliseconds timeout);

    // For a driver waiting on completions of its own asynchronous
    // transfers (a parked IN transfer): waits until `woken()` or `deadline`
    // while this thread handles the transport's events, so the completion
    // runs here and needs no thread hop. Returns false at once when the
    // transport cannot do that (the default): the caller then waits on its
    // own condition variable. `woken()` may be called with the transport's
    // event lock held and must only take the caller's own lock; a completion
    // that makes it true runs waker()'s function afterwards.
    virtual bool wait_events(const std::function<bool()>& woken, std::chrono::steady_clock::time_point deadline);
    // A control OUT request the transport sends when it lets a device go
    // that is still there (a close, not an unplug), after every transfer
    // ended and before the interface goes back to the kernel: undoes a chip
    // setting the driver changed that whoever takes the device next does
    // not expect. Bounded by a short timeout; its failure is ignored. The
    // last one set counts. None by default.
    virtual void set_release_request(const ControlSetup& setup, std::vector<uint8_t> data);
    // What a completion runs after it made a waiter's condition true (none
    // by default). It may run after the waiter gave up, and in the sim
    // transport after the transport is gone: it must not refer to the
    // transport object.
    virtual std::function<void()> waker();

protected:
    // A transfer the transport can run on the calling thread without
    // submitting it: its result, or nullopt to submit it as usual (the
    // default; `req` is then untouched, otherwise its data may have been
    // taken). Only for a request with a timeout: abort() cannot end it
    // early, so that timeout bounds what abort() waits for.
    virtual std::optional<TransferResult> run_now(TransferRequest& req);
    // How the synchronous helpers wait: until call.done or `deadline`
    // (time_point::max(): none); true when done. By default on call.cv,
    // which the completion notifies from the event thread.
    virtual bool await(SyncCall& call, std::chrono::steady_clock::time_point deadline);
};

}  // namespace usbio::usb
