// SPDX-License-Identifier: Apache-2.0
#include "libusb_engine.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <utility>

#include "usbio/usb/libusb_status.hpp"

namespace usbio::usb::detail {

namespace {

std::error_code err(int e) { return {e, std::generic_category()}; }

// How long teardown waits for libusb to return cancelled transfers. libusb
// returns them within milliseconds; past this something is badly wrong,
// and leaving the handle open is better than closing it under a transfer.
constexpr std::chrono::seconds kShutdownLimit{10};
// The request sent on release (set_release_request) is a setting undone
// on a device that is there; a device that does not answer is not waited for.
constexpr unsigned kReleaseRequestTimeoutMs = 200;

bool is_in(const TransferRequest& r) {
    if (r.type == TransferType::control) return (r.setup.bmRequestType & kDirIn) != 0;
    return (r.endpoint & kDirIn) != 0;
}

// A control request goes to endpoint 0, and an OUT one carries wLength bytes.
bool control_shape_ok(const TransferRequest& r) {
    return r.endpoint == 0 && (is_in(r) || r.data.size() == r.setup.wLength);
}

unsigned int timeout_ms(std::chrono::milliseconds t) {
    return t.count() > static_cast<long long>(UINT_MAX) ? UINT_MAX : static_cast<unsigned int>(t.count());
}

}  // namespace

LibusbEngine::LibusbEngine(LibusbContext& ctx, LibusbHandle handle, const std::vector<InterfaceInfo>& interfaces)
    : ctx_(ctx), api_(ctx.api()), handle_(std::move(handle)) {
    for (const auto& itf : interfaces)
        for (const auto& ep : itf.endpoints) endpoints_[ep.address] = ep;
}

LibusbEngine::~LibusbEngine() = default;

TransferId LibusbEngine::submit(TransferRequest req, Completion done) {
    if (!done) done = [](TransferResult&&) {};
    std::lock_guard lk(mu_);
    ++outstanding_;
    if (gone_ || aborted_ || closing_) return refuse_locked(std::move(done), ENODEV);
    if (req.timeout.count() < 0) return refuse_locked(std::move(done), EINVAL);

    const bool in = is_in(req);
    std::size_t length = 0;
    if (req.type == TransferType::control) {
        if (!control_shape_ok(req)) return refuse_locked(std::move(done), EINVAL);
        length = req.setup.wLength;
    } else {
        auto it = endpoints_.find(req.endpoint);
        if (it == endpoints_.end() || it->second.type != req.type) return refuse_locked(std::move(done), EINVAL);
        length = req.data.size();
        if (length > static_cast<std::size_t>(INT_MAX)) return refuse_locked(std::move(done), EINVAL);
    }

    libusb_transfer* xfer = api_.alloc_transfer(0);
    if (!xfer) return refuse_locked(std::move(done), ENOMEM);
    auto* f = new Flight;
    f->xfer = xfer;
    f->in = in;
    f->id = next_id_;
    const unsigned int to = timeout_ms(req.timeout);
    switch (req.type) {
    case TransferType::control: {
        const ControlSetup& s = req.setup;
        f->data_offset = LIBUSB_CONTROL_SETUP_SIZE;
        f->buf.resize(LIBUSB_CONTROL_SETUP_SIZE + length);
        libusb_fill_control_setup(f->buf.data(), s.bmRequestType, s.bRequest, s.wValue, s.wIndex, s.wLength);
        if (!in && length) std::memcpy(f->buf.data() + LIBUSB_CONTROL_SETUP_SIZE, req.data.data(), length);
        libusb_fill_control_transfer(xfer, handle_.get(), f->buf.data(), &LibusbEngine::on_transfer, f, to);
        break;
    }
    case TransferType::interrupt:
    case TransferType::bulk:
        f->buf = std::move(req.data);
        f->buf.resize(length);
        if (req.type == TransferType::interrupt)
            libusb_fill_interrupt_transfer(xfer, handle_.get(), req.endpoint, f->buf.data(), static_cast<int>(length),
                                           &LibusbEngine::on_transfer, f, to);
        else
            libusb_fill_bulk_transfer(xfer, handle_.get(), req.endpoint, f->buf.data(), static_cast<int>(length),
                                      &LibusbEngine::on_transfer, f, to);
        break;
    }

    // libusb never calls back from inside submit; the callback needs the
    // engine (and mu_, held here), so it cannot get ahead of this function.
    f->engine = shared_from_this();
    f->owed = true;
    f->done = std::move(done);
    const int r = api_.submit_transfer(xfer);
    if (r != 0) {
        api_.free_transfer(xfer);
        done = std::move(f->done);
        delete f;
        if (r == LIBUSB_ERROR_NO_DEVICE) {
            declare_gone_locked();
            return refuse_locked(std::move(done), ENODEV);
        }
        if (r == LIBUSB_ERROR_IO) {
            hold_for_check_locked(std::move(done));  // possibly the unplug itself
            return 0;
        }
        return refuse_locked(std::move(done), errno_from_libusb_error(r));
    }
    flights_.emplace(f->id, f);
    ++next_id_;
    ++in_libusb_;
    return f->id;
}

LibusbEngine::Now LibusbEngine::control_now(TransferRequest& req, const std::function<Completion()>& if_held) {
    Now now;
    // usbfs takes 0 as "no timeout"; those wait for abort() and are submitted.
    if (req.type != TransferType::control || req.timeout.count() <= 0) return now;
    const ControlSetup& s = req.setup;
    const bool in = is_in(req);
    {
        std::lock_guard lk(mu_);
        if (no_sync_control_) return now;
        now.kind = Now::finished;
        if (gone_ || aborted_ || closing_) {
            now.result.status = err(ENODEV);
            return now;
        }
        if (!control_shape_ok(req)) {
            now.result.status = err(EINVAL);
            return now;
        }
        ++in_libusb_;  // teardown waits for it as for a transfer libusb holds
    }
    std::vector<uint8_t> buf = std::move(req.data);  // OUT: the bytes; IN: where they go
    if (in) buf.resize(s.wLength);
    int transferred = 0;
    const int e = api_.sync_control(handle_.get(), s.bmRequestType, s.bRequest, s.wValue, s.wIndex, buf.data(),
                                    s.wLength, timeout_ms(req.timeout), &transferred);
    std::lock_guard lk(mu_);
    --in_libusb_;
    after_libusb_returned_locked();
    idle_cv_.notify_all();
    if (e == ENOSYS) {
        req.data = std::move(buf);  // nothing was sent: the caller submits it
        no_sync_control_ = true;
        now.kind = Now::unavailable;
        return now;
    }
    if (e == 0) {
        now.result.actual = static_cast<std::size_t>(std::max(transferred, 0));
        if (in) {
            buf.resize(std::min<std::size_t>(now.result.actual, buf.size()));
            now.result.actual = buf.size();
            now.result.data = std::move(buf);
        }
        return now;
    }
    int status = e;
    switch (e) {
    case ENODEV:
    case ESHUTDOWN:  // the device's endpoints were flushed: it left
        declare_gone_locked();
        status = ENODEV;
        break;
    case ETIMEDOUT:
    case EPIPE:
    case EOVERFLOW:
    case EINVAL:
    case ENOMEM: break;
    default:  // EPROTO, EILSEQ, ETIME ...: an I/O error, which may be the unplug
        if (!gone_ && !closing_ && !aborted_) {
            ++outstanding_;
            hold_for_check_locked(if_held());
            now.kind = Now::held;
            return now;
        }
        status = EIO;
    }
    now.result.status = err(gone_ ? ENODEV : status);
    return now;
}

void LibusbEngine::hold_for_check_locked(Completion done) {
    TransferResult r;
    r.status = err(EIO);
    held_.push_back(Ready{std::move(done), std::move(r)});
    start_check_locked();
}

TransferId LibusbEngine::refuse_locked(Completion done, int error) {
    TransferResult r;
    r.status = err(error);
    ready_.push_back(Ready{std::move(done), std::move(r)});
    schedule_drain_locked();
    return 0;
}

void LibusbEngine::cancel(TransferId id) {
    std::lock_guard lk(mu_);
    auto it = flights_.find(id);
    if (it == flights_.end() || it->second->cancelling) return;
    it->second->cancelling = true;
    // NOT_FOUND means libusb has finished it already; its callback is on the way.
    api_.cancel_transfer(it->second->xfer);
}

void LibusbEngine::cancel_all_locked() {
    for (auto& [id, f] : flights_) {
        if (f->cancelling) continue;
        f->cancelling = true;
        api_.cancel_transfer(f->xfer);
    }
    if (probe_ && !probe_->cancelling) {
        probe_->cancelling = true;
        api_.cancel_transfer(probe_->xfer);
    }
}

void LibusbEngine::abort() {
    std::lock_guard lk(mu_);
    aborted_ = true;
    cancel_all_locked();
    if (checking_ && !probe_) end_check_locked(gone_ ? ENODEV : EIO);  // only a retry was pending
}

void LibusbEngine::device_left() {
    std::lock_guard lk(mu_);
    declare_gone_locked();
}

void LibusbEngine::declare_gone_locked() {
    if (gone_) return;
    gone_ = true;
    cancel_all_locked();
    resolve_held_locked(ENODEV);
    if (!closing_) {
        disconnect_due_ = true;
        schedule_drain_locked();
    }
}

void LibusbEngine::on_disconnect(std::function<void()> cb) {
    std::function<void()> old;
    std::lock_guard lk(mu_);
    old = std::exchange(disconnect_cb_, std::move(cb));
    if (gone_ && !disconnect_reported_ && disconnect_cb_ && !closing_) {
        disconnect_due_ = true;
        schedule_drain_locked();
    }
}

bool LibusbEngine::connected() const {
    std::lock_guard lk(mu_);
    return !gone_ && !aborted_;
}

void LibusbEngine::schedule_drain_locked() {
    if (drain_posted_ || orphaned_) return;
    drain_posted_ = true;
    ctx_.post([self = shared_from_this()] { self->drain(); });
}

void LibusbEngine::drain() {
    std::unique_lock lk(mu_);
    drain_posted_ = false;
    drain_locked(lk);
    if (disconnect_due_ && disconnect_cb_ && !closing_) {
        disconnect_due_ = false;
        disconnect_reported_ = true;
        std::function<void()> cb = disconnect_cb_;
        lk.unlock();
        cb();
    }
}

void LibusbEngine::drain_locked(std::unique_lock<std::mutex>& lk) {
    while (!ready_.empty()) {
        Ready r = std::move(ready_.front());
        ready_.pop_front();
        lk.unlock();
        r.done(std::move(r.result));
        r = Ready{};  // captured state dies outside the lock too
        lk.lock();
        --outstanding_;
        idle_cv_.notify_all();
    }
}

void LIBUSB_CALL LibusbEngine::on_transfer(libusb_transfer* xfer) {
    auto* f = static_cast<Flight*>(xfer->user_data);
    std::shared_ptr<LibusbEngine> self = std::move(f->engine);
    const int status = xfer->status;
    const std::size_t actual = xfer->actual_length > 0 ? static_cast<std::size_t>(xfer->actual_length) : 0;
    if (f->id == 0)
        self->finish_check(f, status, actual);
    else
        self->finish(f, status, actual);
}

void LibusbEngine::finish(Flight* f, int status, std::size_t actual) {
    TransferResult r;
    if (f->in) {
        const std::size_t n = std::min(actual, f->buf.size() - f->data_offset);
        r.data.assign(f->buf.begin() + static_cast<std::ptrdiff_t>(f->data_offset),
                      f->buf.begin() + static_cast<std::ptrdiff_t>(f->data_offset + n));
        r.actual = n;
    } else {
        r.actual = actual;
    }
    Completion done;
    bool deliver = false;
    {
        std::lock_guard lk(mu_);
        flights_.erase(f->id);  // from here on nobody cancels this transfer
        if (status == LIBUSB_TRANSFER_NO_DEVICE) declare_gone_locked();
        int e = errno_from_transfer_status(status);
        if (e != 0 && gone_) e = ENODEV;
        r.status = e ? err(e) : std::error_code{};
        if (f->owed) {
            done = std::move(f->done);
            // An I/O error, or a cancellation nobody asked for (usbfs kills
            // the transfers of an interface that goes away), may be the
            // unplug: ask the device before reporting.
            const bool unexplained =
                status == LIBUSB_TRANSFER_ERROR || (status == LIBUSB_TRANSFER_CANCELLED && !f->cancelling);
            if (unexplained && !gone_ && !closing_ && !aborted_) {
                held_.push_back(Ready{std::move(done), std::move(r)});
                start_check_locked();
            } else {
                deliver = true;
            }
        }
    }
    api_.free_transfer(f->xfer);
    delete f;
    if (deliver) {
        done(std::move(r));
        done = nullptr;
    }
    std::lock_guard lk(mu_);
    if (deliver) --outstanding_;
    --in_libusb_;
    after_libusb_returned_locked();
    idle_cv_.notify_all();
}

void LibusbEngine::after_libusb_returned_locked() {
    if (!orphaned_ || in_libusb_ != 0 || release_scheduled_) return;
    release_scheduled_ = true;
    // A task, not here: this may run inside libusb's event handling.
    ctx_.post([self = shared_from_this()] {
        self->handle_.release();
        std::shared_ptr<LibusbContext> ctx;
        {
            std::lock_guard lk(self->mu_);
            ctx = std::move(self->keepalive_);
        }
    });
}

void LibusbEngine::shutdown(std::shared_ptr<LibusbContext> keepalive) {
    std::function<void()> cb;
    std::unique_lock lk(mu_);
    closing_ = true;
    cb = std::move(disconnect_cb_);
    disconnect_due_ = false;
    cancel_all_locked();
    if (checking_ && !probe_) end_check_locked(gone_ ? ENODEV : EIO);

    if (ctx_.on_event_thread()) {
        const int e = gone_ ? ENODEV : ECANCELED;
        for (auto& [id, f] : flights_) {
            if (!f->owed) continue;
            f->owed = false;
            TransferResult r;
            r.status = err(e);
            ready_.push_back(Ready{std::move(f->done), std::move(r)});
        }
        resolve_held_locked(gone_ ? ENODEV : EIO);
        drain_locked(lk);
        orphaned_ = true;
        keepalive_ = std::move(keepalive);
        after_libusb_returned_locked();
        lk.unlock();
        return;
    }

    if (!idle_cv_.wait_for(lk, kShutdownLimit, [&] { return outstanding_ == 0 && in_libusb_ == 0; })) {
        // Only reached when the event thread is stuck (a completion that
        // blocks) or libusb lost a transfer. Late completions of transfers
        // are dropped; the handle stays open until libusb returns them.
        std::fprintf(stderr, "usbio: libusb kept %zu cancelled transfer(s) past teardown; leaving the device open\n",
                     in_libusb_);
        for (auto& [id, f] : flights_) {
            if (f->owed) --outstanding_;
            f->owed = false;
            f->done = nullptr;
        }
        orphaned_ = true;
        keepalive_ = std::move(keepalive);
        after_libusb_returned_locked();
        return;
    }
    auto farewell = gone_ ? std::nullopt : std::move(release_request_);
    lk.unlock();
    if (farewell) handle_.control_out_now(farewell->setup, farewell->data, kReleaseRequestTimeoutMs);
    handle_.release();
}

void LibusbEngine::set_release_request(const ControlSetup& setup, std::vector<uint8_t> data) {
    std::lock_guard lk(mu_);
    release_request_ = HeldControl{setup, std::move(data)};
}

}  // namespace usbio::usb::detail
