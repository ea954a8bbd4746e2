// SPDX-License-Identifier: Apache-2.0
#include "usbio/usb/libusb_context.hpp"

#include <atomic>
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
// How long the event thread stays out of libusb after the last synchronous
// caller left. Callers come back to back (a GPIO loop, the transfers of one
// I2C transaction); had the thread gone back into libusb's poll with the
// event lock, the next caller would have to kick it out and wait for it:
// two thread switches on every call. Asynchronous completions and hotplug
// wait at most this long meanwhile.
constexpr std::chrono::milliseconds kLinger{2};

// The context whose events this thread is handling now (in await(), or the
// event thread inside libusb), if any.
thread_local const LibusbContext* t_handling = nullptr;

class Handling {
public:
    explicit Handling(const LibusbContext* ctx) : outer_(std::exchange(t_handling, ctx)) {}
    ~Handling() { t_handling = outer_; }
    Handling(const Handling&) = delete;
    Handling& operator=(const Handling&) = delete;

private:
    const LibusbContext* outer_;
};

// One bounded slice of a wait that ends at `deadline`.
std::chrono::microseconds slice(Clock::time_point now, Clock::time_point deadline) {
    if (deadline - now > kMaxBlock) return kMaxBlock;
    return std::chrono::duration_cast<std::chrono::microseconds>(deadline - now) + std::chrono::microseconds(1);
}

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
    // Callers in await(). While there are any, the event thread does not
    // handle events (they do) and only runs tasks. The alternative, leaving
    // the event thread in libusb's poll and kicking it out whenever a caller
    // wants the lock, races: the thread comes straight back for the lock.
    // When the last caller has left for kLinger the event thread goes back
    // to libusb: a thread waiting for an asynchronous completion on its own
    // condition variable has no one else.
    int sync_callers = 0;
    Clock::time_point last_left{};  // when sync_callers last dropped to 0
    bool in_libusb = false;         // the event thread handles events (or is about to)
    uint64_t changes = 0;           // bumped with every notify of cv: no wake-up is lost
    // Tasks queued and not yet taken: a caller holding the event lock lets
    // it go, in case the event thread is waiting for it inside libusb.
    std::atomic<bool> tasks_waiting{false};
    std::atomic<uint64_t> wakes{0};  // wake_awaiting() calls
    // Threads in run_between_rounds(): callers let the lock go after their
    // round and leave it to them.
    std::atomic<int> lock_wanted{0};

    // Takes the tasks and due timers to run now; sets `wait` to how long
    // event handling may block afterwards, and `handle` to whether this
    // thread handles events (no caller does). False when the loop should end.
    bool take(std::vector<std::function<void()>>& batch, std::chrono::microseconds& wait, bool& handle,
              uint64_t& seen) {
        std::lock_guard lk(mu);
        tasks_waiting = false;
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
        handle = sync_callers == 0 && now - last_left >= kLinger;
        // While callers come and go the thread looks again every kLinger;
        // leave_sync() does not wake it.
        if (!handle && until > now + kLinger) until = now + kLinger;
        wait = std::chrono::duration_cast<std::chrono::microseconds>(until - now);
        in_libusb = handle;
        seen = changes;
        return true;
    }

    void run(const LibusbContext* owner) {
        for (;;) {
            std::vector<std::function<void()>> batch;
            std::chrono::microseconds wait{0};
            bool handle = true;
            uint64_t seen = 0;
            if (!take(batch, wait, handle, seen)) break;
            for (auto& fn : batch) {
                fn();
                fn = nullptr;  // captured state goes before the next task runs
            }
            if (!batch.empty()) continue;  // tasks may have posted more
            if (!handle) {
                // Callers handle events: wait for a task, a timer, or the last of them to leave.
                std::unique_lock lk(mu);
                cv.wait_for(lk, wait, [&] { return changes != seen; });
                continue;
            }
            timeval tv = to_timeval(wait);
            int r = 0;
            {
                Handling here(owner);
                r = api->handle_events_timeout_completed(ctx, &tv, nullptr);
            }
            {
                std::lock_guard lk(mu);
                in_libusb = false;
            }
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
            tasks_waiting = true;
            ++changes;
        }
        cv.notify_all();
        api->interrupt_event_handler(ctx);
    }

    void enter_sync() {
        bool kick = false;
        {
            std::lock_guard lk(mu);
            kick = sync_callers++ == 0 && in_libusb;
        }
        // The event thread out of its poll, so the lock is free soon; the
        // interrupt stays pending if it has not entered libusb yet.
        if (kick) api->interrupt_event_handler(ctx);
    }

    void leave_sync() {
        std::lock_guard lk(mu);
        if (--sync_callers == 0) last_left = Clock::now();
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
    thread_ = std::thread([loop = loop_, self = this] { loop->run(self); });
}

LibusbContext::~LibusbContext() {
    const bool here = std::this_thread::get_id() == thread_.get_id();
    {
        std::lock_guard lk(loop_->mu);
        loop_->stop = true;
        loop_->exit_on_thread = here;
        ++loop_->changes;
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
        ++loop_->changes;
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

bool LibusbContext::on_event_thread() const noexcept {
    return t_handling == this || std::this_thread::get_id() == thread_.get_id();
}

// libusb's protocol for threads that handle events themselves (libusb
// "Multi-threaded applications and asynchronous I/O"): take the event lock
// and handle events, or, when another thread holds it, wait as an event
// waiter until it completes something or lets the lock go, then look again.
void LibusbContext::await(const std::function<bool()>& done, Clock::time_point deadline) {
    loop_->enter_sync();
    while (!done()) {
        const auto now = Clock::now();
        if (now >= deadline) break;
        const bool wanted = loop_->lock_wanted.load() > 0;
        // Read before the lock is taken: a wake after it ends the round,
        // one before it came before any waiter's last look at done().
        const uint64_t wakes = loop_->wakes.load();
        if (!wanted && api_->try_lock_events(ctx_) == 0) {
            handle_locked(done, deadline, wakes);
            continue;
        }
        // Another caller, the event thread finishing its round, or a close.
        api_->lock_event_waiters(ctx_);
        const bool active = api_->event_handler_active(ctx_) != 0;
        if (!done() && active) {
            timeval tv = to_timeval(slice(now, deadline));
            api_->wait_for_event(ctx_, &tv);
        }
        api_->unlock_event_waiters(ctx_);
        if (wanted && !active) std::this_thread::yield();  // run_between_rounds() is about to take it
    }
    loop_->leave_sync();
}

void LibusbContext::run_between_rounds(const std::function<void()>& fn) {
    if (handling_events_here()) {  // inside a callback: this thread has the lock already
        fn();
        return;
    }
    loop_->enter_sync();
    ++loop_->lock_wanted;
    api_->interrupt_event_handler(ctx_);  // ends the round in progress
    while (api_->try_lock_events(ctx_) != 0) {
        api_->lock_event_waiters(ctx_);
        if (api_->event_handler_active(ctx_)) {
            timeval tv = to_timeval(kMaxBlock);
            api_->wait_for_event(ctx_, &tv);
        }
        api_->unlock_event_waiters(ctx_);
    }
    --loop_->lock_wanted;
    fn();
    api_->unlock_events(ctx_);
    loop_->leave_sync();
}

void LibusbContext::handle_locked(const std::function<bool()>& done, Clock::time_point deadline, uint64_t wakes) {
    int r = 0;
    {
        Handling here(this);
        while (!done() && api_->event_handling_ok(ctx_)) {  // not ok: a close waits for the lock
            const auto now = Clock::now();
            if (now >= deadline) break;
            timeval tv = to_timeval(slice(now, deadline));
            r = api_->handle_events_locked(ctx_, &tv);
            if (r < 0 && r != LIBUSB_ERROR_INTERRUPTED) break;
            // A completion outside libusb (its waiter must be woken, and
            // only unlock_events wakes libusb's waiters), or a task for an
            // event thread that may be waiting for this lock inside libusb.
            // Or run_between_rounds() waits for the lock.
            if (loop_->wakes.load() != wakes || loop_->tasks_waiting.load() || loop_->lock_wanted.load() > 0) break;
        }
    }
    api_->unlock_events(ctx_);
    if (r < 0 && r != LIBUSB_ERROR_INTERRUPTED) {
        // A failure of event handling itself: do not spin on it.
        std::unique_lock lk(loop_->mu);
        loop_->cv.wait_until(lk, std::min(deadline, Clock::now() + kErrorBackoff));
    }
}

void LibusbContext::handle_pending_events() {
    run_between_rounds([this] {
        Handling here(this);
        timeval none{};
        api_->handle_events_locked(ctx_, &none);
    });
}

bool LibusbContext::handling_events_here() const noexcept { return t_handling == this; }

void LibusbContext::wake_awaiting() {
    loop_->wakes.fetch_add(1);
    api_->interrupt_event_handler(ctx_);
}

}  // namespace usbio::usb
