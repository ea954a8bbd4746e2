// SPDX-License-Identifier: Apache-2.0
// A usb::Transport whose device is the fuzz input: every control reply,
// every OUT completion and every input report comes from the script
// (device_script.hpp). Keeps the Transport contract: completions run in order
// on one event thread, never inside submit(); every transfer completes
// exactly once; abort() and unplug end everything in flight.
//
// Checks what a CP2112 driver may send (report IDs, lengths) and aborts the
// process, which the fuzzer reports, when a request is malformed.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "byte_source.hpp"
#include "device_script.hpp"
#include "usbio/usb/transport.hpp"

namespace usbio::fuzz {

class ScriptedTransport final : public usb::Transport {
public:
    // Reads the identity byte now; `src` must outlive the transport and is
    // read only on the thread that submits control and OUT transfers.
    explicit ScriptedTransport(ByteSource& src);
    ~ScriptedTransport() override;

    const usb::DeviceIdentity& identity() const override { return identity_; }
    usb::TransferId submit(usb::TransferRequest req, usb::Completion done) override;
    void cancel(usb::TransferId id) override;
    void abort() override;
    void on_disconnect(std::function<void()> cb) override;
    bool connected() const override;

private:
    struct Held {
        usb::TransferId id;
        usb::TransferRequest req;
        usb::Completion done;
        bool cancellable;
    };
    struct InEvent {
        int error = 0;  // 0: a report
        std::vector<uint8_t> data;
    };

    void event_loop();
    // Queues `job` for the event thread. Caller holds mu_.
    void post(std::function<void()> job);
    void post_completion(usb::Completion done, usb::TransferResult r);
    void post_status(usb::Completion done, int error);
    // Hands queued input reports to parked IN transfers (event thread).
    void deliver_in();
    // The device leaves: everything held completes with ENODEV. Caller holds mu_.
    void unplug_locked();
    void finish_held_locked(int error);
    void check_request(const usb::TransferRequest& req) const;
    usb::TransferResult scripted_result(const usb::TransferRequest& req, script::Completion c);
    void read_in_events(unsigned count);

    ByteSource& src_;
    usb::DeviceIdentity identity_;
    uint16_t in_size_ = 64;

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;
    bool stop_ = false;
    std::vector<Held> held_;         // withheld and stuck transfers
    std::deque<Held> parked_in_;     // IN transfers waiting for a report
    std::deque<InEvent> in_events_;  // reports (or IN errors) due now
    std::vector<InEvent> late_;      // reports due at the next request
    usb::TransferId next_id_ = 1;
    bool aborted_ = false;
    bool gone_ = false;
    bool disconnect_reported_ = false;
    std::function<void()> on_disconnect_;
    std::thread thread_;
};

}  // namespace usbio::fuzz
