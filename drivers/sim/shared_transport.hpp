// SPDX-License-Identifier: Apache-2.0
// A Transport handle that shares one transport with others.
//
// A driver owns its transport outright (unique_ptr), but a simulated
// adapter must still reach the same transport to pull the cable or count
// transfers, even after the driver is gone. This forwards every call; the
// transport itself lives until its last holder lets go.
#pragma once

#include <memory>
#include <utility>

#include "usbio/usb/transport.hpp"

namespace usbio::sim {

class SharedTransport : public usb::Transport {
public:
    explicit SharedTransport(std::shared_ptr<usb::Transport> inner) : inner_(std::move(inner)) {}

    const usb::DeviceIdentity& identity() const override { return inner_->identity(); }
    usb::TransferId submit(usb::TransferRequest req, usb::Completion done) override {
        return inner_->submit(std::move(req), std::move(done));
    }
    void cancel(usb::TransferId id) override { inner_->cancel(id); }
    void abort() override { inner_->abort(); }
    void on_disconnect(std::function<void()> cb) override { inner_->on_disconnect(std::move(cb)); }
    bool connected() const override { return inner_->connected(); }

private:
    std::shared_ptr<usb::Transport> inner_;
};

}  // namespace usbio::sim
