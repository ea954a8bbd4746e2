// SPDX-License-Identifier: Apache-2.0
#include "cp2112/hid_channel.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <utility>

#include "common/transfer_status.hpp"
#include "cp2112/reports.hpp"
#include "usbio/usb/ch9.hpp"

namespace usbio::cp2112 {

namespace {

using namespace usb::ch9;

constexpr std::chrono::milliseconds kControlTimeout{1000};
constexpr std::chrono::milliseconds kOutTimeout{1000};
// Input reports nobody is waiting for are dropped beyond this many, so a
// device that floods the IN endpoint cannot grow memory without bound.
constexpr std::size_t kMaxQueued = 64;

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

}  // namespace

struct HidChannel::State {
    std::mutex m;
    std::condition_variable cv;
    usb::Transport* transport = nullptr;  // used only while !stopping
    uint8_t in_ep = 0;
    uint16_t in_size = report::max_len;

    std::deque<std::vector<uint8_t>> queue;
    std::error_code in_error;
    unsigned owed_status = 0;         // status requests sent, status reports not yet arrived
    unsigned owed_data = 0;           // force-sends sent, data reports not yet arrived
    std::size_t auto_bytes = 0;       // data the chip sends by itself (Auto Send Read) still to come
    uint64_t events = 0;              // input reports, IN failures, abort: what ends a wait
    std::function<void()> wake;       // the transport's waker, run after `events` moved
    bool waits_handle_events = true;  // until the transport says it cannot
    bool resync_due = false;          // the next exchange fences even with nothing owed
    bool armed = false;
    bool stopping = false;
    bool aborted = false;
    bool gone = false;
    int submitting = 0;  // arm() calls between the stopping check and submit() returning
    std::atomic<bool> aborted_flag{false};

    static void arm(const std::shared_ptr<State>& st);
    static void on_in(const std::shared_ptr<State>& st, usb::TransferResult&& r);

    // Counts an arrived report against what is owed; false for one nobody
    // is owed (dropped).
    bool accept_locked(const std::vector<uint8_t>& r);
    // A report that arrived mangled, or may have been lost with a failed IN
    // transfer, stands for one owed reply.
    void count_lost_locked();
    // The count a request adds to, or null for one that gets no reply.
    unsigned* owed_for(uint8_t request_id);

    // An input report, an IN failure or an abort: wakes every waiter,
    // whichever way it waits. notify() without the lock.
    void signal_locked();
    void notify();

    // Waits until `ready()`, with the IN transfer armed. Ends on the
    // deadline (ETIMEDOUT), a failed IN transfer (its error), abort or
    // removal (ENODEV). The deadline is checked on every round, so a
    // transfer that keeps failing cannot keep a waiter spinning.
    template <class Ready>
    std::error_code wait_locked(const std::shared_ptr<State>& self, std::unique_lock<std::mutex>& lk,
                                Clock::time_point deadline, Ready ready);
};

bool HidChannel::State::accept_locked(const std::vector<uint8_t>& r) {
    const uint8_t id = r.empty() ? 0 : r[0];
    if (id == report::read_response && owed_data == 0 && auto_bytes > 0) {
        // Counted in bytes: the chip may cut its data into reports as it
        // likes.
        const std::size_t n = r.size() > 2 ? r[2] : 0;
        auto_bytes -= std::min(auto_bytes, n);
        return true;
    }
    if (id == report::status_response || id == report::read_response) {
        unsigned& owed = id == report::status_response ? owed_status : owed_data;
        if (owed == 0) return false;
        --owed;
        return true;
    }
    if (owed_status == 0 && owed_data == 0) return false;
    count_lost_locked();
    return true;  // the waiter sees it, and fails with EPROTO
}

void HidChannel::State::count_lost_locked() {
    if (owed_status > 0)
        --owed_status;
    else if (owed_data > 0)
        --owed_data;
}

unsigned* HidChannel::State::owed_for(uint8_t request_id) {
    if (request_id == report::status_request) return &owed_status;
    if (request_id == report::read_force_send) return &owed_data;
    return nullptr;
}

template <class Ready>
std::error_code HidChannel::State::wait_locked(const std::shared_ptr<State>& self, std::unique_lock<std::mutex>& lk,
                                               Clock::time_point deadline, Ready ready) {
    for (;;) {
        if (aborted || gone) return err(ENODEV);
        if (ready()) return {};
        if (in_error) return std::exchange(in_error, {});
        if (Clock::now() >= deadline) return err(ETIMEDOUT);
        if (!armed && !stopping) {
            lk.unlock();
            arm(self);
            lk.lock();
            continue;  // a report or an error may have come meanwhile
        }
        if (waits_handle_events && !stopping) {
            // The completion runs on this thread: no hop through the
            // transport's event thread and back.
            const uint64_t seen = events;
            lk.unlock();
            const bool handled = transport->wait_events(
                [this, seen] {
                    std::lock_guard g(m);
                    return events != seen;
                },
                deadline);
            lk.lock();
            // Either way the lock was let go: look again before sleeping,
            // or a report that came meanwhile would be slept through.
            if (!handled) waits_handle_events = false;
            continue;
        }
        cv.wait_until(lk, deadline);
    }
}

void HidChannel::State::signal_locked() { ++events; }

void HidChannel::State::notify() {
    cv.notify_all();
    if (wake) wake();
}

// Submits the IN transfer unless one is armed or the channel is stopping.
// The submit runs without the lock (a transport may take its own locks in
// submit that its event thread holds while calling completions); the
// destructor waits for `submitting` to drop before it aborts the transport.
void HidChannel::State::arm(const std::shared_ptr<State>& st) {
    {
        std::lock_guard lk(st->m);
        if (st->armed || st->stopping || st->aborted || st->gone) return;
        st->armed = true;
        ++st->submitting;
    }
    usb::TransferRequest req;
    req.type = usb::TransferType::interrupt;
    req.endpoint = st->in_ep;
    req.data.resize(st->in_size);
    req.timeout = std::chrono::milliseconds(0);  // parked until a report comes
    st->transport->submit(std::move(req), [st](usb::TransferResult&& r) { on_in(st, std::move(r)); });
    {
        std::lock_guard lk(st->m);
        --st->submitting;
    }
    st->cv.notify_all();
}

void HidChannel::State::on_in(const std::shared_ptr<State>& st, usb::TransferResult&& r) {
    bool rearm = false;
    {
        std::lock_guard lk(st->m);
        st->armed = false;
        st->signal_locked();
        if (!r.status) {
            r.data.resize(std::min(r.data.size(), r.actual));
            if (st->accept_locked(r.data)) {
                if (st->queue.size() >= kMaxQueued) st->queue.pop_front();
                st->queue.push_back(std::move(r.data));
            }
            rearm = true;
        } else if (r.status.value() == ENODEV) {
            st->gone = true;
        } else if (r.status.value() == ECANCELED && (st->stopping || st->aborted)) {
            // Our own stop or abort.
        } else {
            // Not re-armed here: a pipe that keeps failing (or a transfer
            // cancelled from outside, again and again) would spin. The
            // waiter gets this error and the next one re-arms.
            if (r.status.value() != ECANCELED) st->count_lost_locked();
            st->in_error = r.status.value() == EOVERFLOW ? err(EPROTO) : err(EIO);
        }
    }
    st->notify();
    if (rearm) arm(st);
}

std::error_code HidChannel::open(std::unique_ptr<usb::Transport> transport, std::unique_ptr<HidChannel>& out) {
    const usb::DeviceIdentity& id = transport->identity();
    const usb::InterfaceInfo* chosen = nullptr;
    const usb::EndpointInfo* in = nullptr;
    const usb::EndpointInfo* outp = nullptr;
    // The HID interface if the descriptors say which one it is, else the
    // first interface with an interrupt IN endpoint.
    for (int pass = 0; pass < 2 && !in; ++pass) {
        for (const auto& itf : id.interfaces) {
            if (pass == 0 && itf.klass != kClassHid) continue;
            const usb::EndpointInfo* i = nullptr;
            const usb::EndpointInfo* o = nullptr;
            for (const auto& ep : itf.endpoints) {
                if (ep.type != usb::TransferType::interrupt) continue;
                if ((ep.address & usb::kDirIn) != 0) {
                    if (!i) i = &ep;
                } else if (!o) {
                    o = &ep;
                }
            }
            if (i) {
                chosen = &itf;
                in = i;
                outp = o;
                break;
            }
        }
    }
    if (!in) return err(EPROTO);
    const uint16_t in_size = std::clamp<uint16_t>(in->max_packet, 8, report::max_len);
    std::optional<uint8_t> out_ep;
    if (outp) out_ep = outp->address;
    out.reset(new HidChannel(std::move(transport), chosen->number, in->address, in_size, out_ep));
    State::arm(out->st_);
    return {};
}

HidChannel::HidChannel(std::unique_ptr<usb::Transport> transport, uint8_t interface, uint8_t in_ep, uint16_t in_size,
                       std::optional<uint8_t> out_ep)
    : transport_(std::move(transport)), st_(std::make_shared<State>()), interface_(interface), out_ep_(out_ep) {
    st_->transport = transport_.get();
    st_->wake = transport_->waker();
    st_->in_ep = in_ep;
    st_->in_size = in_size;
}

HidChannel::~HidChannel() {
    {
        std::unique_lock lk(st_->m);
        st_->stopping = true;
        st_->cv.wait(lk, [this] { return st_->submitting == 0; });
    }
    // Cancels the parked IN transfer. Its completion may still run on the
    // transport's thread; it touches only the shared state, never `this`.
    transport_->abort();
    transport_.reset();
}

void HidChannel::abort() noexcept {
    {
        std::lock_guard lk(st_->m);
        st_->aborted = true;
        st_->aborted_flag.store(true, std::memory_order_release);
        st_->signal_locked();
    }
    st_->notify();
    transport_->abort();
}

bool HidChannel::aborted() const noexcept { return st_->aborted_flag.load(std::memory_order_acquire); }

std::error_code HidChannel::map_status(std::error_code ec) const { return drivers::transfer_status(ec, aborted()); }

std::error_code HidChannel::get_feature(uint8_t id, std::size_t length, std::vector<uint8_t>& out) {
    out.clear();
    const usb::ControlSetup s = report_request(kClassInterfaceIn, kHidGetReport, kHidReportFeature, id, length);
    return map_status(transport_->control_in(s, out, kControlTimeout));
}

std::error_code HidChannel::set_feature(std::span<const uint8_t> report) {
    if (report.empty()) return err(EINVAL);
    return set_report(kHidReportFeature, report);
}

void HidChannel::set_feature_on_release(std::span<const uint8_t> report) {
    if (report.empty()) return;
    transport_->set_release_request(
        report_request(kClassInterfaceOut, kHidSetReport, kHidReportFeature, report[0], report.size()),
        std::vector<uint8_t>(report.begin(), report.end()));
}

std::error_code HidChannel::send_output(std::span<const uint8_t> report) {
    if (report.empty()) return err(EINVAL);
    if (aborted()) return err(ENODEV);
    {
        // Counted before it is sent: the reply may arrive before the send
        // completes.
        std::lock_guard lk(st_->m);
        if (unsigned* owed = st_->owed_for(report[0])) ++*owed;
    }
    const std::error_code ec =
        out_ep_ ? map_status(transport_->write(*out_ep_, usb::TransferType::interrupt, report, kOutTimeout))
                : set_report(kHidReportOutput, report);
    if (ec) {
        // Whether the chip saw it is unknown: owe nothing for it, and have
        // the next exchange fence.
        std::lock_guard lk(st_->m);
        unsigned* owed = st_->owed_for(report[0]);
        if (owed && *owed > 0) --*owed;
        st_->resync_due = true;
    }
    return ec;
}

// HID class requests address a report by type (high byte of wValue) and id.
usb::ControlSetup HidChannel::report_request(uint8_t request_type, uint8_t request, uint8_t report_type, uint8_t id,
                                             std::size_t length) const {
    usb::ControlSetup s;
    s.bmRequestType = request_type;
    s.bRequest = request;
    s.wValue = static_cast<uint16_t>((report_type << 8) | id);
    s.wIndex = interface_;
    s.wLength = static_cast<uint16_t>(length);
    return s;
}

std::error_code HidChannel::set_report(uint8_t report_type, std::span<const uint8_t> report) {
    const usb::ControlSetup s =
        report_request(kClassInterfaceOut, kHidSetReport, report_type, report[0], report.size());
    return map_status(transport_->control_out(s, report, kControlTimeout));
}

std::error_code HidChannel::begin_exchange(Clock::time_point deadline) {
    {
        std::lock_guard lk(st_->m);
        if (st_->aborted || st_->gone) return err(ENODEV);
        st_->queue.clear();
        st_->in_error = {};
        // Data an auto-sent read still owed may yet arrive: fence it off.
        if (st_->owed_status == 0 && st_->owed_data == 0 && st_->auto_bytes == 0 && !st_->resync_due) return {};
        st_->auto_bytes = 0;
    }
    return resync(deadline);
}

std::error_code HidChannel::resync(Clock::time_point deadline) {
    // The cancel stops a transfer the chip may still run and drops its
    // buffered data, so no new data report can follow; the status request
    // is the fence.
    if (auto ec = send_output(build_cancel())) return ec;
    if (auto ec = send_output(build_status_request())) return ec;
    std::unique_lock lk(st_->m);
    const std::error_code ec =
        st_->wait_locked(st_, lk, deadline, [this] { return st_->owed_status == 0 && st_->owed_data == 0; });
    st_->queue.clear();
    if (ec.value() == ETIMEDOUT) {
        // Replies a chip lost would be owed for ever: write them off. The
        // next exchange fences again, so one still on its way is counted
        // against that fence, never taken for data.
        st_->owed_status = 0;
        st_->owed_data = 0;
    }
    st_->resync_due = static_cast<bool>(ec);
    return ec;
}

void HidChannel::expect_auto_data(std::size_t bytes) {
    std::lock_guard lk(st_->m);
    st_->auto_bytes = bytes;
}

void HidChannel::end_auto_data() {
    std::lock_guard lk(st_->m);
    st_->auto_bytes = 0;
}

std::error_code HidChannel::await_input(uint8_t id, Clock::time_point deadline, std::vector<uint8_t>& out) {
    std::unique_lock lk(st_->m);
    std::error_code malformed;
    auto arrived = [&] {
        for (auto it = st_->queue.begin(); it != st_->queue.end(); ++it) {
            if (it->empty() || !is_input_report((*it)[0])) {
                st_->queue.erase(it);
                malformed = err(EPROTO);
                return true;
            }
            if ((*it)[0] == id) {
                out = std::move(*it);
                st_->queue.erase(it);
                return true;
            }
            // An owed report of the other kind stays for its own wait: with
            // Auto Send Read the data may come before the status asked for.
        }
        return false;
    };
    if (auto ec = st_->wait_locked(st_, lk, deadline, arrived)) return ec;
    return malformed;
}

std::error_code HidChannel::pause_until(Clock::time_point until) {
    std::unique_lock lk(st_->m);
    st_->cv.wait_until(lk, until, [this] { return st_->aborted || st_->gone; });
    return (st_->aborted || st_->gone) ? err(ENODEV) : std::error_code{};
}

void HidChannel::settle(std::chrono::milliseconds quiet, std::chrono::milliseconds limit) {
    const auto end = Clock::now() + limit;
    std::unique_lock lk(st_->m);
    for (;;) {
        st_->queue.clear();
        st_->in_error = {};
        const auto until = std::min(Clock::now() + quiet, end);
        const bool woke =
            st_->cv.wait_until(lk, until, [this] { return !st_->queue.empty() || st_->aborted || st_->gone; });
        if (!woke || st_->aborted || st_->gone || Clock::now() >= end) break;
    }
    st_->queue.clear();
    st_->in_error = {};
}

}  // namespace usbio::cp2112
