// SPDX-License-Identifier: Apache-2.0
#include "usbio/usb/transport.hpp"

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <utility>

namespace usbio::usb {

namespace {

std::error_code err(int e) { return {e, std::generic_category()}; }

// How long past its own timeout a caller waits for the transport to report
// the timeout, before cancelling on its own. Transports enforce timeouts
// themselves; this only bounds the wait when one is stuck (e.g. a model
// that sleeps inside a request).
constexpr std::chrono::milliseconds kTimeoutGrace{500};
// After that cancel, how long to wait for the completion that reports it.
constexpr std::chrono::milliseconds kCancelGrace{500};

// An IN transfer's outcome: its data, or its error and no data.
std::error_code take_data(TransferResult&& r, std::vector<uint8_t>& out) {
    if (r.status) {
        out.clear();
        return r.status;
    }
    out = std::move(r.data);
    return {};
}

// An OUT transfer's outcome: a short write is an I/O error.
std::error_code sent_all(const TransferResult& r, std::size_t size) {
    if (r.status) return r.status;
    if (r.actual != size) return err(EIO);
    return {};
}

}  // namespace

bool Transport::await(SyncCall& call, std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lk(call.mu);
    const auto finished = [&] { return call.done; };
    if (deadline == std::chrono::steady_clock::time_point::max()) {
        call.cv.wait(lk, finished);
        return true;
    }
    return call.cv.wait_until(lk, deadline, finished);
}

Completion complete_into(std::shared_ptr<SyncCall> call, std::function<void()> wake) {
    return [call = std::move(call), wake = std::move(wake)](TransferResult&& r) {
        {
            std::lock_guard<std::mutex> lk(call->mu);
            call->result = std::move(r);
            call->done = true;
        }
        call->cv.notify_all();
        if (wake) wake();
    };
}

std::function<void()> Transport::waker() { return {}; }

std::optional<TransferResult> Transport::run_now(TransferRequest&) { return std::nullopt; }

void Transport::set_release_request(const ControlSetup&, std::vector<uint8_t>) {}

bool Transport::wait_events(const std::function<bool()>&, std::chrono::steady_clock::time_point) { return false; }

TransferResult Transport::run(TransferRequest req) {
    using Clock = std::chrono::steady_clock;
    if (auto now = run_now(req)) return std::move(*now);
    auto call = std::make_shared<SyncCall>();
    const auto timeout = req.timeout;
    const TransferId id = submit(std::move(req), complete_into(call, waker()));

    const auto take = [&] {
        std::lock_guard<std::mutex> lk(call->mu);
        return std::move(call->result);
    };
    // No timeout: woken by data, cancel or abort.
    if (timeout.count() <= 0) {
        await(*call, Clock::time_point::max());
        return take();
    }
    if (await(*call, Clock::now() + timeout + kTimeoutGrace)) return take();

    cancel(id);
    TransferResult timed_out;
    timed_out.status = err(ETIMEDOUT);
    if (!await(*call, Clock::now() + kCancelGrace)) return timed_out;
    // The cancel is ours, on the caller's timeout: report it as one.
    TransferResult r = take();
    if (r.status == std::errc::operation_canceled) r.status = err(ETIMEDOUT);
    return r;
}

std::error_code Transport::control_in(const ControlSetup& setup, std::vector<uint8_t>& out,
                                      std::chrono::milliseconds timeout) {
    if (!(setup.bmRequestType & kDirIn)) return err(EINVAL);
    TransferRequest req;
    req.type = TransferType::control;
    req.setup = setup;
    req.data.resize(setup.wLength);
    req.timeout = timeout;
    return take_data(run(std::move(req)), out);
}

// The data span is what is sent: wLength is taken from its size.
std::error_code Transport::control_out(const ControlSetup& setup, std::span<const uint8_t> data,
                                       std::chrono::milliseconds timeout) {
    if ((setup.bmRequestType & kDirIn) || data.size() > 0xFFFF) return err(EINVAL);
    TransferRequest req;
    req.type = TransferType::control;
    req.setup = setup;
    req.setup.wLength = static_cast<uint16_t>(data.size());
    req.data.assign(data.begin(), data.end());
    req.timeout = timeout;
    return sent_all(run(std::move(req)), data.size());
}

std::error_code Transport::write(uint8_t endpoint, TransferType type, std::span<const uint8_t> data,
                                 std::chrono::milliseconds timeout) {
    if (type == TransferType::control || (endpoint & kDirIn)) return err(EINVAL);
    TransferRequest req;
    req.type = type;
    req.endpoint = endpoint;
    req.data.assign(data.begin(), data.end());
    req.timeout = timeout;
    return sent_all(run(std::move(req)), data.size());
}

std::error_code Transport::read(uint8_t endpoint, TransferType type, std::size_t length, std::vector<uint8_t>& out,
                                std::chrono::milliseconds timeout) {
    if (type == TransferType::control || !(endpoint & kDirIn)) return err(EINVAL);
    TransferRequest req;
    req.type = type;
    req.endpoint = endpoint;
    req.data.resize(length);
    req.timeout = timeout;
    return take_data(run(std::move(req)), out);
}

}  // namespace usbio::usb
