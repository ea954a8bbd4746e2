// SPDX-License-Identifier: Apache-2.0
// One libusb context and the thread that handles its events.
//
// Every task posted here runs on this thread, between two of its rounds of
// libusb event handling, never inside one, so a task may do what a libusb
// callback must not (close a handle, deregister a hotplug callback).
//
// libusb's callbacks (transfers, hotplug) run on whichever thread handles
// the context's events: this thread, or a synchronous caller in await().
// A caller waiting for its own transfer handles events itself whenever no
// other thread does, so its completion runs on its own thread and wakes no
// one: no hop to the event thread and back. While any caller is in
// await() the event thread leaves libusb alone and only runs tasks; the
// callers hand libusb's event lock to one another (libusb's protocol for
// several event-handling threads), and the event thread takes over again
// 2 ms after the last one left (so back-to-back calls need not kick it out
// of libusb's poll each time). Nothing is left unhandled meanwhile: a caller
// holding the lock handles every event of the context, hotplug included;
// in the 2 ms after the last caller, events wait at most that long. Drivers
// waiting for their own asynchronous transfers wait the same way
// (Transport::wait_events).
//
// Lifetime: whoever submits transfers or holds devices of this context keeps
// it alive through a shared_ptr. The last owner's release stops the thread
// (after running the tasks still queued) and calls libusb_exit; when that
// release happens on the event thread itself, the thread finishes the job
// on its way out.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>

#include "usbio/error.hpp"
#include "usbio/usb/libusb_api.hpp"

namespace usbio::usb {

class LibusbContext {
public:
    // Initialises libusb and starts the event thread. Fails with ENODEV when
    // libusb cannot start (no usbfs, as in most containers), the message
    // saying so.
    static Result<std::shared_ptr<LibusbContext>> create(std::shared_ptr<LibusbApi> api);
    ~LibusbContext();
    LibusbContext(const LibusbContext&) = delete;
    LibusbContext& operator=(const LibusbContext&) = delete;

    LibusbApi& api() const noexcept { return *api_; }
    libusb_context* raw() const noexcept { return ctx_; }

    // Runs fn on the event thread, soon, in posting order. Any thread.
    void post(std::function<void()> fn);
    // Runs fn on the event thread once `delay` has passed. Timers still
    // pending when the context stops are dropped without running.
    void post_after(std::chrono::milliseconds delay, std::function<void()> fn);
    // Runs fn on the event thread and waits until it has run; runs it at
    // once when called on the event thread.
    void run_on_event_thread(const std::function<void()>& fn);
    // The event thread, or a thread handling this context's events in
    // await() (inside a libusb callback there): code that must not wait for
    // the event thread's next round.
    bool on_event_thread() const noexcept;

    // A synchronous caller: returns once done() is true or at `deadline`
    // (time_point::max(): no deadline). Handles the context's events on the
    // calling thread while no other thread does, otherwise waits for the
    // one that does; every wait is bounded by the deadline. done() is
    // called with no usbio lock held; its state is set by a completion.
    void await(const std::function<bool()>& done, std::chrono::steady_clock::time_point deadline);
    // What a completion an await() waits for calls when it ran outside
    // libusb's event handling (in a task on the event thread): the thread
    // handling events, and the callers waiting for it, look at done() again.
    // A completion run by libusb needs none: libusb wakes the waiters then.
    void wake_awaiting();
    // Runs fn on the calling thread while it holds libusb's event lock: a
    // round of event handling in progress (on any thread) has finished and
    // no libusb callback of the context runs until fn returns. For what
    // needs no callback running (deregistering a hotplug callback whose
    // user data goes away). Inside a libusb callback it runs fn at once.
    void run_between_rounds(const std::function<void()>& fn);
    // Handles, on the calling thread, the events libusb has already
    // received (hotplug events among them) without waiting for more: once
    // it returns their callbacks have run. Not from inside a libusb callback.
    void handle_pending_events();
    // This thread is inside libusb's event handling of this context.
    bool handling_events_here() const noexcept;

private:
    struct Loop;

    LibusbContext(std::shared_ptr<LibusbApi> api, libusb_context* ctx);
    // With the event lock: handles events until done(), the deadline, or a
    // reason to let the lock go (a wake_awaiting() since `wakes` was read
    // among them); then unlocks.
    void handle_locked(const std::function<bool()>& done, std::chrono::steady_clock::time_point deadline,
                       uint64_t wakes);

    std::shared_ptr<LibusbApi> api_;
    libusb_context* ctx_;
    std::shared_ptr<Loop> loop_;
    std::thread thread_;
};

}  // namespace usbio::usb
