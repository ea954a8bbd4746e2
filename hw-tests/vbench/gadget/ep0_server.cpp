// SPDX-License-Identifier: Apache-2.0
#include "ep0_server.hpp"

#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "log.hpp"

namespace usbio::vbench {
namespace {

const char* event_name(uint8_t type) {
    switch (type) {
    case FUNCTIONFS_BIND: return "BIND";
    case FUNCTIONFS_UNBIND: return "UNBIND";
    case FUNCTIONFS_ENABLE: return "ENABLE";
    case FUNCTIONFS_DISABLE: return "DISABLE";
    case FUNCTIONFS_SETUP: return "SETUP";
    case FUNCTIONFS_SUSPEND: return "SUSPEND";
    case FUNCTIONFS_RESUME: return "RESUME";
    default: return "?";
    }
}

}  // namespace

bool Ep0Server::run(int stop_fd, ControlChannel* control, const std::function<void(std::string_view)>& command) {
    for (;;) {
        pollfd fds[3] = {{ep0_, POLLIN, 0}, {stop_fd, POLLIN, 0}, {-1, POLLIN, 0}};
        if (control) fds[2].fd = control->fd();
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR) continue;
            log("ep0 poll: %s", std::strerror(errno));
            return false;
        }
        if (fds[1].revents) return true;
        if (fds[2].revents & POLLIN) control->drain(command);
        if (!(fds[0].revents & POLLIN)) continue;
        usb_functionfs_event events[4];
        const ssize_t n = read(ep0_, events, sizeof events);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            // FunctionFS: the host sent its next SETUP before this thread
            // had finished with the previous one (back-to-back control
            // requests). The read cleared that state; the next one goes on.
            if (errno == EIDRM) {
                log("ep0 read: previous SETUP cancelled by the host");
                continue;
            }
            // After an unbind cut a data stage short, FunctionFS keeps the
            // request pending and reports EL2HLT (IN) or ESHUTDOWN (OUT) on
            // event reads until its DISABLE/UNBIND event clears it: an unplug
            // the bench makes on purpose, not a reason to stop serving.
            if (errno == EL2HLT || errno == ESHUTDOWN) {
                log("ep0 read: %s (request cut short by unplug)", std::strerror(errno));
                continue;
            }
            log("ep0 read: %s", std::strerror(errno));
            return false;
        }
        for (ssize_t i = 0; i < n / ssize_t(sizeof events[0]); ++i) on_event(events[i].type, &events[i].u.setup);
    }
}

void Ep0Server::on_event(uint8_t type, const void* setup) {
    if (type == FUNCTIONFS_SETUP) {
        on_setup(setup);
        return;
    }
    log("event %s", event_name(type));
    switch (type) {
    case FUNCTIONFS_ENABLE:
        configured_ = true;
        pumps_.set_enabled(true);
        break;
    case FUNCTIONFS_DISABLE:
    case FUNCTIONFS_UNBIND:
        pumps_.set_enabled(false);
        // Unconfigured or unplugged: the chip loses what it held in RAM
        // (pending reports, a transfer in progress), as after a bus reset.
        if (configured_) device_.reset();
        configured_ = false;
        break;
    default: break;
    }
}

void Ep0Server::on_setup(const void* raw) {
    const auto* req = static_cast<const usb_ctrlrequest*>(raw);
    usb::ControlSetup setup;
    setup.bmRequestType = req->bRequestType;
    setup.bRequest = req->bRequest;
    setup.wValue = le16toh(req->wValue);
    setup.wIndex = le16toh(req->wIndex);
    setup.wLength = le16toh(req->wLength);
    const bool in = (setup.bmRequestType & USB_DIR_IN) != 0;
    device_.setup_received();

    std::vector<uint8_t> out;
    if (!in && setup.wLength > 0) {
        out.resize(setup.wLength);
        const ssize_t n = read(ep0_, out.data(), out.size());
        if (n < 0) {
            log("SETUP %02x %02x: reading OUT data: %s", setup.bmRequestType, setup.bRequest, std::strerror(errno));
            return;
        }
        out.resize(std::size_t(n));
    }
    const usb::ControlReply reply = device_.control(setup, out);
    log("SETUP %02x %02x wValue %04x wIndex %04x wLength %u -> %s %zu", setup.bmRequestType, setup.bRequest,
        setup.wValue, setup.wIndex, setup.wLength, reply.stall ? "STALL" : "ok", in ? reply.data.size() : out.size());
    if (in) {
        if (reply.stall) {
            stall(true);
            return;
        }
        const std::size_t len = std::min<std::size_t>(reply.data.size(), setup.wLength);
        if (write(ep0_, reply.data.data(), len) < 0) log("ep0 IN data: %s", std::strerror(errno));
        return;
    }
    if (setup.wLength > 0) {
        if (reply.stall) log("  (STALL after an OUT data stage cannot be signalled; the host saw an ACK)");
        return;
    }
    if (reply.stall)
        stall(false);
    else
        ack();
}

void Ep0Server::ack() {
    if (read(ep0_, nullptr, 0) < 0) log("ep0 status ACK: %s", std::strerror(errno));
}

void Ep0Server::stall(bool in) {
    // The opposite direction to the data stage; FunctionFS answers EL2HLT
    // once it has halted ep0, which is the success case here.
    const ssize_t n = in ? read(ep0_, nullptr, 0) : write(ep0_, nullptr, 0);
    if (n < 0 && errno != EL2HLT) log("ep0 STALL: %s", std::strerror(errno));
}

}  // namespace usbio::vbench
