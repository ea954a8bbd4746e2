// SPDX-License-Identifier: Apache-2.0
// The libusb transport: a real USB device behind the Transport interface.
//
// Behaviour, beyond the Transport contract:
// - One device handle per transport, with at most one claimed interface.
//   identity().interfaces lists only that interface: transfers go to its
//   endpoints (and endpoint 0); any other endpoint, a type that does not
//   match it, or a negative timeout completes with EINVAL.
// - Completions run on the LibusbContext's event thread: directly from
//   libusb's callback for transfers libusb took, from a posted task for
//   refused ones, so never inside submit(). The synchronous helpers
//   (run(), control_in() ...) handle the context's events on the calling
//   thread while they wait, when no other thread does: their own
//   completion then runs on the caller's thread, with no hop to the event
//   thread, and so may other transfers' completions and hotplug callbacks.
// - Status: see libusb_engine.hpp (an I/O error triggers an unplug check
//   before it is reported; "no device" is ENODEV and reports the
//   disconnect). A timeout is libusb's: ETIMEDOUT.
// - Destruction cancels every transfer, waits for every completion, then
//   releases the interface, re-attaches the kernel driver it detached, and
//   closes the handle: libusb never sees a close with a transfer in flight.
//   Destroying it from its own event thread (inside a completion) is
//   allowed: owed completions run before the destructor returns, and the
//   handle closes once libusb has returned the cancelled transfers.
// - A disconnect not yet reported when destruction starts is dropped.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "usbio/error.hpp"
#include "usbio/usb/libusb_context.hpp"
#include "usbio/usb/transport.hpp"

namespace usbio::usb {

namespace detail {
class LibusbEngine;
}

// Where usbio's udev rules live in the source tree and, once installed, the
// file name under rules.d: named in permission errors.
inline constexpr const char* kUdevRulesFile = "70-usbio.rules";

class LibusbTransport final : public Transport {
public:
    // Opens `device`, claims `interface` (detaching a kernel driver bound to
    // it; that driver is re-attached when the transport lets go) and reads
    // the identity strings. Without an interface nothing is claimed and only
    // control transfers work (enough to read strings of an adapter no
    // driver binds). `who` names the adapter in messages ("cp2112 [1-2]").
    // Errors: EACCES (the message says how to install the udev rules),
    // EBUSY (another program holds the interface), ENODEV (gone meanwhile),
    // EINVAL (no such interface), EIO.
    static Result<std::unique_ptr<LibusbTransport>> open(std::shared_ptr<LibusbContext> ctx, libusb_device* device,
                                                         std::optional<uint8_t> interface, const std::string& who);
    ~LibusbTransport() override;
    LibusbTransport(const LibusbTransport&) = delete;
    LibusbTransport& operator=(const LibusbTransport&) = delete;

    const DeviceIdentity& identity() const override { return identity_; }
    TransferId submit(TransferRequest req, Completion done) override;
    void cancel(TransferId id) override;
    void abort() override;
    void on_disconnect(std::function<void()> cb) override;
    bool connected() const override;

    // Lets whoever watches the bus (hotplug, re-enumeration) report the
    // device gone: the same as a transfer failing with "no device". Holds
    // no reference that keeps the transport alive.
    class Presence {
    public:
        Presence() = default;
        void device_left() const;

    private:
        friend class LibusbTransport;
        explicit Presence(std::weak_ptr<detail::LibusbEngine> e) : engine_(std::move(e)) {}
        std::weak_ptr<detail::LibusbEngine> engine_;
    };
    Presence presence() const;

    bool wait_events(const std::function<bool()>& woken, std::chrono::steady_clock::time_point deadline) override;
    void set_release_request(const ControlSetup& setup, std::vector<uint8_t> data) override;
    std::function<void()> waker() override;

protected:
    bool await(SyncCall& call, std::chrono::steady_clock::time_point deadline) override;
    // Control transfers with a timeout run as usbfs's blocking request on
    // the calling thread (LibusbApi::sync_control): one system call, where
    // a submitted transfer takes a submit, a poll and two reaps. Teardown
    // waits for one in progress (at most its timeout); an unplug ends it.
    std::optional<TransferResult> run_now(TransferRequest& req) override;

private:
    LibusbTransport(std::shared_ptr<LibusbContext> ctx, std::shared_ptr<detail::LibusbEngine> engine,
                    DeviceIdentity identity);

    std::shared_ptr<LibusbContext> ctx_;
    std::shared_ptr<detail::LibusbEngine> engine_;
    DeviceIdentity identity_;
};

}  // namespace usbio::usb
