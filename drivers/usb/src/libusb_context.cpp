// SPDX-License-Identifier: Apache-2.0
#include "usbio/usb/libusb_context.hpp"

#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "usbio/usb/libusb_status.hpp"

namespace usbio::usb {

namespace {

using Clock = std::chrono::steady_clock;

// How long one round of event handling may block when nothing is due. Only
// a backstop: posts and libusb's own timeouts wake the loop earlier.
constexpr std::chrono::milliseconds kMaxBlock{1000};
// Pause after libusb reports a failure of event handling itself, so a
// persistent failure does not spin a core.
constexpr std::chrono::milliseconds kErrorBackoff{10};

timeval to_timeval(std::chrono::microseconds us) {
    if (us.count() < 0) us = std::chrono::microseconds(0);
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(us.count() / 1'000'000);
    tv.tv_usec = static_cast<suseconds_t>(us.count() % 1'000'000);
    return tv;
}

}  // namespace

// Shared by the context object and its thread, so the thread can finish
// cleanly when the context is released from inside one of its own tasks.
struct LibusbContext::Loop {
    std::shared_ptr<LibusbApi> api;
    libusb_context* ctx = nullptr;

    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::function<void()>> tasks;
    std::multimap<Clock::time_point, std::function<void()>> timers;
    bool stop = false;
    bool exit_on_thread = false;  // released from the event thread: it calls libusb_exit

    // Takes the tasks and due timers to run now; sets `wait` to how long
    // event handling may block afterwards. False when the loop should end.
    bool take(std::vector<std::function<void()>>& batch, std::chrono::microseconds& wait) {
        std::lock_guard lk(mu);
        const auto now = Clock::now();
        while (!timers.empty() && timers.begin()->first <= now) {
            batch.push_back(std::move(timers.begin()->second));
            timers.erase(timers.begin());
        }
        for (auto& t : tasks) batch.push_back(std::move(t));
        tasks.clear();
        if (stop && batch.empty()) return false;
        auto until = now + kMaxBlock;
        if (!timers.empty() && timers.begin()->first < until) until = timers.begin()->first;
        wait = std::chrono::duration_cast<std::chrono::microseconds>(until - now);
        return true;
    }

    void run() {
        for (;;) {
            std::vector<std::function<void()>> batch;
            std::chrono::microseconds wait{0};
            if (!take(batch, wait)) break;
            for (auto& fn : batch) {
                fn();
                fn = nullptr;  // captured state goes before the next task runs
            }
            if (!batch.empty()) continue;  // tasks may have posted more
            timeval tv = to_timeval(wait);
            const int r = api->handle_events_timeout_completed(ctx, &tv, nullptr);
            if (r < 0 && r != LIBUSB_ERROR_INTERRUPTED) {
                std::unique_lock lk(mu);
                cv.wait_for(lk, kErrorBackoff, [&] { return stop || !tasks.empty(); });
            }
        }
        bool exit_here = false;
        {
            std::lock_guard lk(mu);
            exit_here = exit_on_thread;
            timers.clear();
        }
        if (exit_here) api->exit(ctx);
    }

    void push(std::function<void()> fn) {
        {
            std::lock_guard lk(mu);
            tasks.push_back(std::move(fn));
        }
        cv.notify_all();
        api->interrupt_event_handler(ctx);
    }
};

Result<std::shared_ptr<LibusbContext>> LibusbContext::create(std::shared_ptr<LibusbApi> api) {
    libusb_context* ctx = nullptr;
    const int r = api->init(&ctx);
    if (r < 0)
        return make_error(ENODEV, "USB: libusb cannot start (" + libusb_error_text(r) +
                                      "): this machine gives no access to USB devices (no /dev/bus/usb?)");
    return std::shared_ptr<LibusbContext>(new LibusbContext(std::move(api), ctx));
}

LibusbContext::LibusbContext(std::shared_ptr<LibusbApi> api, libusb_context* ctx)
    : api_(std::move(api)), ctx_(ctx), loop_(std::make_shared<Loop>()) {
    loop_->api = api_;
    loop_->ctx = ctx_;
    thread_ = std::thread([loop = loop_] { loop->run(); });
}

LibusbContext::~LibusbContext() {
    const bool here = on_event_thread();
    {
        std::lock_guard lk(loop_->mu);
        loop_->stop = true;
        loop_->exit_on_thread = here;
    }
    loop_->cv.notify_all();
    api_->interrupt_event_handler(ctx_);
    if (here) {
        thread_.detach();
        return;
    }
    thread_.join();
    api_->exit(ctx_);
}

void LibusbContext::post(std::function<void()> fn) { loop_->push(std::move(fn)); }

void LibusbContext::post_after(std::chrono::milliseconds delay, std::function<void()> fn) {
    {
        std::lock_guard lk(loop_->mu);
        loop_->timers.emplace(Clock::now() + delay, std::move(fn));
    }
    loop_->cv.notify_all();
    api_->interrupt_event_handler(ctx_);
}

void LibusbContext::run_on_event_thread(const std::function<void()>& fn) {
    if (on_event_thread()) {
        fn();
        return;
    }
    // The event thread never blocks (callbacks and tasks must not), so this
    // wait ends as soon as the loop comes round.
    std::promise<void> ran;
    auto done = ran.get_future();
    post([&fn, &ran] {
        fn();
        ran.set_value();
    });
    done.wait();
}

bool LibusbContext::on_event_thread() const noexcept { return std::this_thread::get_id() == thread_.get_id(); }

}  // namespace usbio::usb
