// SPDX-License-Identifier: Apache-2.0
#include "usbio/usb/libusb_transport.hpp"

#include <cerrno>

#include "libusb_engine.hpp"

namespace usbio::usb {

namespace {

// Longest wait for the unplug check on a synchronous control transfer's
// I/O error: well past its three probes of 500 ms and their pauses.
constexpr std::chrono::seconds kHeldLimit{3};

}  // namespace

LibusbTransport::LibusbTransport(std::shared_ptr<LibusbContext> ctx, std::shared_ptr<detail::LibusbEngine> engine,
                                 DeviceIdentity identity)
    : ctx_(std::move(ctx)), engine_(std::move(engine)), identity_(std::move(identity)) {}

LibusbTransport::~LibusbTransport() { engine_->shutdown(ctx_); }

TransferId LibusbTransport::submit(TransferRequest req, Completion done) {
    return engine_->submit(std::move(req), std::move(done));
}

void LibusbTransport::cancel(TransferId id) { engine_->cancel(id); }

void LibusbTransport::abort() { engine_->abort(); }

void LibusbTransport::on_disconnect(std::function<void()> cb) { engine_->on_disconnect(std::move(cb)); }

bool LibusbTransport::connected() const { return engine_->connected(); }

bool LibusbTransport::await(SyncCall& call, std::chrono::steady_clock::time_point deadline) {
    const auto finished = [&call] {
        std::lock_guard lk(call.mu);
        return call.done;
    };
    ctx_->await(finished, deadline);
    return finished();
}

std::optional<TransferResult> LibusbTransport::run_now(TransferRequest& req) {
    // Made only for the unplug check, so a call that ends at once allocates nothing for it.
    std::shared_ptr<SyncCall> call;
    auto now = engine_->control_now(req, [&] {
        call = std::make_shared<SyncCall>();
        return complete_into(call, waker());
    });
    switch (now.kind) {
    case detail::LibusbEngine::Now::unavailable: return std::nullopt;
    case detail::LibusbEngine::Now::finished: return std::move(now.result);
    case detail::LibusbEngine::Now::held: break;
    }
    // The unplug check ends within a few of its 500 ms probes; abort and
    // teardown end it at once.
    if (await(*call, std::chrono::steady_clock::now() + kHeldLimit)) {
        std::lock_guard lk(call->mu);
        return std::move(call->result);
    }
    TransferResult r;
    r.status = std::error_code(EIO, std::generic_category());
    return r;
}

void LibusbTransport::set_release_request(const ControlSetup& setup, std::vector<uint8_t> data) {
    engine_->set_release_request(setup, std::move(data));
}

bool LibusbTransport::wait_events(const std::function<bool()>& woken, std::chrono::steady_clock::time_point deadline) {
    ctx_->await(woken, deadline);
    return true;
}

std::function<void()> LibusbTransport::waker() {
    // The context outlives every completion: the transport holds it, and
    // its destruction waits for (or drops) every completion.
    return [ctx = ctx_.get()] {
        // Inside libusb's event handling libusb wakes the waiters itself.
        if (!ctx->handling_events_here()) ctx->wake_awaiting();
    };
}

LibusbTransport::Presence LibusbTransport::presence() const { return Presence(engine_); }

void LibusbTransport::Presence::device_left() const {
    if (auto e = engine_.lock()) e->device_left();
}

}  // namespace usbio::usb
