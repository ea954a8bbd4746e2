#include "cp2112/hid_channel.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <utility>

#include "cp2112/reports.hpp"
#include "usbio/usb/ch9.hpp"

namespace usbio::cp2112 {

namespace {

using namespace usb::ch9;

constexpr std::chrono::milliseconds kControlTimeout{1000};
constexpr std::chrono::milliseconds kOutTimeout{1000};
// How long a reply owed by an abandoned exchange may still arrive.
constexpr std::chrono::milliseconds kOwedGrace{100};
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
    std::optional<uint8_t> owed;
    bool armed = false;
    bool stopping = false;
    bool aborted = false;
    bool gone = false;
    int submitting = 0;  // arm() calls between the stopping check and submit() returning
    std::atomic<bool> aborted_flag{false};

    static void arm(const std::shared_ptr<State>& st);
    static void on_in(const std::shared_ptr<State>& st, usb::TransferResult&& r);
};

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
        if (!r.status) {
            r.data.resize(std::min(r.data.size(), r.actual));
            if (st->queue.size() >= kMaxQueued) st->queue.pop_front();
            st->queue.push_back(std::move(r.data));
            rearm = true;
        } else if (r.status.value() == ENODEV) {
            st->gone = true;
        } else if (r.status.value() == ECANCELED) {
            // Abort, stop, or a cancel from outside: a waiter re-arms if the
            // channel is still running.
        } else {
            // Not re-armed here: a pipe that keeps failing would spin. The
            // next waiter gets this error and re-arms.
            st->in_error = r.status.value() == EOVERFLOW ? err(EPROTO) : err(EIO);
        }
    }
    st->cv.notify_all();
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
    }
    st_->cv.notify_all();
    transport_->abort();
}

bool HidChannel::aborted() const noexcept { return st_->aborted_flag.load(std::memory_order_acquire); }

std::error_code HidChannel::map_status(std::error_code ec) const {
    if (aborted()) return err(ENODEV);
    if (!ec) return {};
    switch (ec.value()) {
    case ENODEV:
    case ETIMEDOUT:
        return ec;
    case EOVERFLOW:
        return err(EPROTO);
    default:
        return err(EIO);
    }
}

std::error_code HidChannel::get_feature(uint8_t id, std::size_t length, std::vector<uint8_t>& out) {
    out.clear();
    const usb::ControlSetup s = report_request(kClassInterfaceIn, kHidGetReport, kHidReportFeature, id, length);
    return map_status(transport_->control_in(s, out, kControlTimeout));
}

std::error_code HidChannel::set_feature(std::span<const uint8_t> report) {
    if (report.empty()) return err(EINVAL);
    return set_report(kHidReportFeature, report);
}

std::error_code HidChannel::send_output(std::span<const uint8_t> report) {
    if (report.empty()) return err(EINVAL);
    if (aborted()) return err(ENODEV);
    if (out_ep_) return map_status(transport_->write(*out_ep_, usb::TransferType::interrupt, report, kOutTimeout));
    return set_report(kHidReportOutput, report);
}

// HID class requests address a report by type (high byte of wValue) and id.
usb::ControlSetup HidChannel::report_request(uint8_t request_type, uint8_t request, uint8_t report_type,
                                             uint8_t id, std::size_t length) const {
    usb::ControlSetup s;
    s.bmRequestType = request_type;
    s.bRequest = request;
    s.wValue = static_cast<uint16_t>((report_type << 8) | id);
    s.wIndex = interface_;
    s.wLength = static_cast<uint16_t>(length);
    return s;
}

std::error_code HidChannel::set_report(uint8_t report_type, std::span<const uint8_t> report) {
    const usb::ControlSetup s = report_request(kClassInterfaceOut, kHidSetReport, report_type, report[0], report.size());
    return map_status(transport_->control_out(s, report, kControlTimeout));
}

void HidChannel::begin_exchange() {
    std::unique_lock lk(st_->m);
    if (st_->owed) {
        const uint8_t owed = *st_->owed;
        const auto until = Clock::now() + kOwedGrace;
        bool arrived = false;
        while (!arrived && !st_->aborted && !st_->gone) {
            for (const auto& r : st_->queue)
                if (!r.empty() && r[0] == owed) arrived = true;
            st_->queue.clear();
            if (arrived || st_->cv.wait_until(lk, until) == std::cv_status::timeout) break;
        }
        st_->owed.reset();
    }
    st_->queue.clear();
    st_->in_error = {};
}

std::error_code HidChannel::await_input(uint8_t id, Clock::time_point deadline, std::vector<uint8_t>& out) {
    std::unique_lock lk(st_->m);
    for (;;) {
        if (st_->aborted || st_->gone) return err(ENODEV);
        while (!st_->queue.empty()) {
            std::vector<uint8_t> r = std::move(st_->queue.front());
            st_->queue.pop_front();
            if (r.empty() || !is_input_report(r[0])) return err(EPROTO);
            if (r[0] == id) {
                out = std::move(r);
                return {};
            }
            // A known report nobody asked for (the chip sends some after
            // configuration): not ours, skip it.
        }
        if (st_->in_error) return std::exchange(st_->in_error, {});
        if (!st_->armed && !st_->stopping) {
            lk.unlock();
            State::arm(st_);
            lk.lock();
            continue;
        }
        if (Clock::now() >= deadline) {
            st_->owed = id;
            return err(ETIMEDOUT);
        }
        st_->cv.wait_until(lk, deadline);
    }
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
        const bool woke = st_->cv.wait_until(
            lk, until, [this] { return !st_->queue.empty() || st_->aborted || st_->gone; });
        if (!woke || st_->aborted || st_->gone || Clock::now() >= end) break;
    }
    st_->queue.clear();
    st_->in_error = {};
}

}  // namespace usbio::cp2112
