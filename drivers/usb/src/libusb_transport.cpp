// SPDX-License-Identifier: Apache-2.0
#include "usbio/usb/libusb_transport.hpp"

#include "libusb_engine.hpp"

namespace usbio::usb {

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

LibusbTransport::Presence LibusbTransport::presence() const { return Presence(engine_); }

void LibusbTransport::Presence::device_left() const {
    if (auto e = engine_.lock()) e->device_left();
}

}  // namespace usbio::usb
