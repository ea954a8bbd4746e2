// SPDX-License-Identifier: Apache-2.0
// One libusb context and the thread that handles its events.
//
// Every libusb transfer callback and hotplug callback of the context runs on
// this thread, and so does every task posted here. Tasks run between two
// rounds of libusb event handling, never inside one, so a task may do what a
// libusb callback must not (close a handle, deregister a hotplug callback).
//
// Lifetime: whoever submits transfers or holds devices of this context keeps
// it alive through a shared_ptr. The last owner's release stops the thread
// (after running the tasks still queued) and calls libusb_exit; when that
// release happens on the event thread itself, the thread finishes the job
// on its way out.
#pragma once

#include <chrono>
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
    bool on_event_thread() const noexcept;

private:
    struct Loop;

    LibusbContext(std::shared_ptr<LibusbApi> api, libusb_context* ctx);

    std::shared_ptr<LibusbApi> api_;
    libusb_context* ctx_;
    std::shared_ptr<Loop> loop_;
    std::thread thread_;
};

}  // namespace usbio::usb
