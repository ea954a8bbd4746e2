// SPDX-License-Identifier: Apache-2.0
// The asynchronous side of the libusb transport: every transfer in flight,
// their completions, the unplug check, and the order of teardown.
//
// Shared (shared_ptr) between the transport object and every transfer
// libusb holds, so a libusb callback always finds it alive. It refers to
// its LibusbContext without owning it: the transport owns the context, and
// the engine only uses it while the transport exists or, after a teardown
// on the event thread, through `keepalive_`.
//
// Status of a finished transfer: COMPLETED ok; NO_DEVICE ENODEV (and the
// device is gone); STALL EPIPE; TIMED_OUT ETIMEDOUT; CANCELLED ECANCELED;
// OVERFLOW EOVERFLOW. Once the device is gone every failure is ENODEV.
// ERROR (an I/O error, which is how most unplugs first show), and a
// cancellation nobody asked for, are held back while a GET_CONFIGURATION
// request asks the device whether it is still there and configured: if it
// is gone or unconfigured the held transfers complete with ENODEV and the
// disconnect is reported; otherwise they complete with EIO.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "libusb_handle.hpp"
#include "usbio/usb/libusb_context.hpp"
#include "usbio/usb/transport.hpp"

namespace usbio::usb::detail {

class LibusbEngine : public std::enable_shared_from_this<LibusbEngine> {
public:
    LibusbEngine(LibusbContext& ctx, LibusbHandle handle, const std::vector<InterfaceInfo>& interfaces);
    ~LibusbEngine();

    TransferId submit(TransferRequest req, Completion done);

    // A control transfer run on the calling thread (LibusbApi::sync_control).
    // `unavailable`: the handle cannot, nothing was sent (submit instead).
    // `finished`: `result` is the outcome. `held`: an I/O error is being
    // checked (the unplug check, as for a submitted transfer); the
    // completion `if_held()` makes then runs with the outcome on the event
    // thread once the check has ended. The data of `req` is used as the
    // buffer unless the answer is `unavailable`.
    struct Now {
        enum Kind { unavailable, finished, held } kind = unavailable;
        TransferResult result;
    };
    Now control_now(TransferRequest& req, const std::function<Completion()>& if_held);
    void cancel(TransferId id);
    void abort();
    void device_left();
    void on_disconnect(std::function<void()> cb);
    bool connected() const;
    // Sent by shutdown() when the device is still there (Transport::set_release_request).
    void set_release_request(const ControlSetup& setup, std::vector<uint8_t> data);

    // The transport is going. Cancels everything; off the event thread it
    // waits for every completion, then releases the handle. On the event
    // thread, or inside a libusb callback on a caller handling events
    // (LibusbContext::on_event_thread()), it cannot wait for completions
    // that run there: it gives every
    // owed completion its result now and releases the handle once libusb
    // has returned the last transfer, keeping the context alive till then.
    void shutdown(std::shared_ptr<LibusbContext> keepalive);

private:
    struct Flight;
    struct Ready {
        Completion done;
        TransferResult result;
    };

    static void LIBUSB_CALL on_transfer(libusb_transfer* xfer);
    void finish(Flight* f, int status, std::size_t actual);
    void finish_check(Flight* f, int status, std::size_t actual);

    // --- with mu_ held ---
    TransferId refuse_locked(Completion done, int error);
    void cancel_all_locked();
    void declare_gone_locked();
    void schedule_drain_locked();
    // An I/O error that may be the unplug: `done` gets EIO, or ENODEV if
    // the check finds the device gone (counted in outstanding_ already).
    void hold_for_check_locked(Completion done);
    void start_check_locked();
    void submit_probe_locked();
    void retry_or_end_check_locked();
    void end_check_locked(int error);
    void resolve_held_locked(int error);
    void after_libusb_returned_locked();

    void drain();  // on the event thread: owed completions, then the disconnect report
    void drain_locked(std::unique_lock<std::mutex>& lk);
    void retry_probe();

    LibusbContext& ctx_;
    LibusbApi& api_;
    LibusbHandle handle_;
    std::map<uint8_t, EndpointInfo> endpoints_;   // of the claimed interface
    std::optional<HeldControl> release_request_;  // guarded by mu_

    mutable std::mutex mu_;
    std::condition_variable idle_cv_;
    std::unordered_map<TransferId, Flight*> flights_;  // user transfers libusb holds
    Flight* probe_ = nullptr;                          // the unplug check libusb holds
    std::deque<Ready> ready_;                          // completions to run on the event thread
    std::vector<Ready> held_;                          // I/O errors waiting for the unplug check
    TransferId next_id_ = 1;
    std::size_t outstanding_ = 0;  // user completions not yet returned
    std::size_t in_libusb_ = 0;    // transfers libusb has not called back yet, and sync_control() calls
    int check_attempts_ = 0;
    bool checking_ = false;
    bool drain_posted_ = false;
    bool gone_ = false;
    bool aborted_ = false;
    bool closing_ = false;
    bool orphaned_ = false;  // torn down on the event thread; see shutdown()
    bool release_scheduled_ = false;
    bool no_sync_control_ = false;  // sync_control() said ENOSYS once
    bool disconnect_due_ = false;
    bool disconnect_reported_ = false;
    std::function<void()> disconnect_cb_;
    std::shared_ptr<LibusbContext> keepalive_;
};

// One libusb transfer. The buffer is the flight's own, so nothing is ever
// written into caller memory.
struct LibusbEngine::Flight {
    std::shared_ptr<LibusbEngine> engine;  // kept alive while libusb holds the transfer
    TransferId id = 0;                     // 0: the unplug check
    libusb_transfer* xfer = nullptr;
    std::vector<uint8_t> buf;
    std::size_t data_offset = 0;  // LIBUSB_CONTROL_SETUP_SIZE for control transfers
    bool in = false;
    bool cancelling = false;
    bool owed = false;  // `done` is still to be called
    Completion done;
};

}  // namespace usbio::usb::detail
