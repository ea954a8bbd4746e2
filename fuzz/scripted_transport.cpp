// SPDX-License-Identifier: Apache-2.0
#include "scripted_transport.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "usbio/usb/ch9.hpp"
#include "virtual_clock.hpp"

namespace usbio::fuzz {

namespace {

using script::Completion;
using script::InKind;

std::error_code ec(int e) { return {e, std::generic_category()}; }

constexpr std::size_t kMaxReport = 64;
constexpr uint8_t kFeature = 3;
constexpr uint8_t kOutput = 2;

bool is_feature_id(uint8_t id) { return id >= 0x02 && id <= 0x06; }

[[noreturn]] void malformed(const char* why, const usb::TransferRequest& req) {
    std::fprintf(stderr,
                 "cp2112 driver sent a malformed request: %s\n  type %d ep 0x%02x setup %02x %02x %04x %04x %04x data",
                 why, static_cast<int>(req.type), req.endpoint, req.setup.bmRequestType, req.setup.bRequest,
                 req.setup.wValue, req.setup.wIndex, req.setup.wLength);
    for (uint8_t b : req.data) std::fprintf(stderr, " %02x", b);
    std::fprintf(stderr, "\n");
    std::abort();
}

uint16_t be16(const std::vector<uint8_t>& d, std::size_t i) { return static_cast<uint16_t>(d[i] << 8 | d[i + 1]); }

// An output report as AN495 defines it: the driver must never send another.
void check_output_report(const usb::TransferRequest& req) {
    const auto& d = req.data;
    if (d.empty() || d.size() > kMaxReport) malformed("output report length", req);
    switch (d[0]) {
    case 0x10:  // read request: address, length 1-512
        if (d.size() != 4 || be16(d, 2) < 1 || be16(d, 2) > 512) malformed("read request", req);
        break;
    case 0x11:  // write-read: address, read length 1-512, 1-16 bytes to write
        if (d.size() < 6 || be16(d, 2) < 1 || be16(d, 2) > 512 || d[4] < 1 || d[4] > 16 || d.size() != 5u + d[4])
            malformed("write-read request", req);
        break;
    case 0x12:  // force send: length 1-512
        if (d.size() != 3 || be16(d, 1) < 1 || be16(d, 1) > 512) malformed("force send", req);
        break;
    case 0x14:  // write: address, 1-61 bytes
        if (d.size() < 4 || d[2] < 1 || d[2] > 61 || d.size() != 3u + d[2]) malformed("write request", req);
        break;
    case 0x15:
    case 0x17:
        if (d.size() != 2 || d[1] != 0x01) malformed("status request or cancel", req);
        break;
    default: malformed("unknown output report id", req);
    }
}

void check_control(const usb::TransferRequest& req) {
    using namespace usb::ch9;
    const uint8_t report_type = static_cast<uint8_t>(req.setup.wValue >> 8);
    const uint8_t id = static_cast<uint8_t>(req.setup.wValue);
    if (req.setup.wLength == 0 || req.setup.wLength > kMaxReport) malformed("report length", req);
    if (req.setup.bmRequestType == kClassInterfaceIn && req.setup.bRequest == kHidGetReport) {
        if (report_type != kFeature || !is_feature_id(id)) malformed("GET_REPORT of an unknown report", req);
        return;
    }
    if (req.setup.bmRequestType == kClassInterfaceOut && req.setup.bRequest == kHidSetReport) {
        if (req.data.size() != req.setup.wLength || req.data[0] != id) malformed("SET_REPORT id or length", req);
        if (report_type == kFeature) {
            // The writable feature reports and their lengths (AN495).
            if ((id == 0x02 && req.data.size() == 5) || (id == 0x04 && req.data.size() == 3) ||
                (id == 0x06 && req.data.size() == 14))
                return;
            malformed("SET_REPORT of a read-only feature report, or of the wrong length", req);
        }
        if (report_type == kOutput) return check_output_report(req);
        malformed("SET_REPORT of an unknown or read-only report", req);
    }
    malformed("not a HID report request", req);
}

}  // namespace

ScriptedTransport::ScriptedTransport(ByteSource& src) : src_(src) {
    namespace id = script::identity;
    const uint8_t b = src_.front_or_zero();
    identity_.vid = 0x10C4;
    identity_.pid = 0xEA90;
    identity_.bcd_device = 0x0100;
    identity_.manufacturer = "Silicon Labs";
    identity_.product = (b & id::usb_path) ? "" : "CP2112 HID USB-to-SMBus Bridge";
    identity_.serial = (b & id::usb_path) ? "" : "FUZZ0001";
    identity_.simulated = !(b & id::usb_path);
    identity_.path = identity_.simulated ? "sim:0" : "1-2.3";
    in_size_ = id::kPacketSizes[(b & id::packet_mask) >> id::packet_shift];
    uint8_t number = 0;
    if (b & id::extra_interface)
        identity_.interfaces.push_back({number++, 0xFF, {{0x83, usb::TransferType::interrupt, 64}}});
    usb::InterfaceInfo hid{number, static_cast<uint8_t>((b & id::vendor_class) ? 0xFF : usb::ch9::kClassHid), {}};
    if (!(b & id::no_in_endpoint)) hid.endpoints.push_back({0x81, usb::TransferType::interrupt, in_size_});
    if (!(b & id::no_out_endpoint)) hid.endpoints.push_back({0x01, usb::TransferType::interrupt, 64});
    identity_.interfaces.push_back(std::move(hid));
    thread_ = std::thread([this] { event_loop(); });
}

ScriptedTransport::~ScriptedTransport() {
    {
        std::lock_guard lk(mu_);
        finish_held_locked(gone_ ? ENODEV : ECANCELED);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void ScriptedTransport::event_loop() {
    std::unique_lock lk(mu_);
    for (;;) {
        cv_.wait(lk, [this] { return stop_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        auto job = std::move(jobs_.front());
        jobs_.pop_front();
        lk.unlock();
        job();
        virtual_clock::work_done();
        lk.lock();
    }
}

void ScriptedTransport::post(std::function<void()> job) {
    virtual_clock::work_added();
    jobs_.push_back(std::move(job));
    cv_.notify_one();
}

void ScriptedTransport::post_completion(usb::Completion done, usb::TransferResult r) {
    post([done = std::move(done), r = std::move(r)]() mutable { done(std::move(r)); });
}

void ScriptedTransport::post_status(usb::Completion done, int error) {
    usb::TransferResult r;
    r.status = ec(error);
    post_completion(std::move(done), std::move(r));
}

void ScriptedTransport::finish_held_locked(int error) {
    for (auto& h : held_) post_status(std::move(h.done), error);
    held_.clear();
    for (auto& h : parked_in_) post_status(std::move(h.done), error);
    parked_in_.clear();
}

void ScriptedTransport::unplug_locked() {
    if (gone_) return;
    gone_ = true;
    finish_held_locked(ENODEV);
    in_events_.clear();
    late_.clear();
    if (on_disconnect_ && !disconnect_reported_) {
        disconnect_reported_ = true;
        post(on_disconnect_);
    }
}

void ScriptedTransport::deliver_in() {
    for (;;) {
        Held t;
        InEvent e;
        {
            std::lock_guard lk(mu_);
            if (parked_in_.empty() || in_events_.empty()) return;
            t = std::move(parked_in_.front());
            parked_in_.pop_front();
            e = std::move(in_events_.front());
            in_events_.pop_front();
        }
        usb::TransferResult r;
        if (e.error) {
            r.status = ec(e.error);
        } else if (e.data.size() > t.req.data.size()) {
            r.status = ec(EOVERFLOW);
        } else {
            r.actual = e.data.size();
            r.data = std::move(e.data);
        }
        t.done(std::move(r));  // may re-arm: submit() takes mu_
    }
}

void ScriptedTransport::read_in_events(unsigned count) {
    for (unsigned i = 0; i < count; ++i) {
        const auto kind = static_cast<InKind>(src_.front_or_zero() & 7);
        InEvent e;
        switch (kind) {
        case InKind::io_error: e.error = EIO; break;
        case InKind::overflow: e.error = EOVERFLOW; break;
        case InKind::cancelled: e.error = ECANCELED; break;
        default: {
            const std::size_t len = std::min<std::size_t>(src_.front_or_zero(), in_size_);
            for (std::size_t j = 0; j < len; ++j) e.data.push_back(src_.front_or_zero());
            break;
        }
        }
        if (kind == InKind::late)
            late_.push_back(std::move(e));
        else
            in_events_.push_back(std::move(e));
    }
}

usb::TransferResult ScriptedTransport::scripted_result(const usb::TransferRequest& req, Completion c) {
    usb::TransferResult r;
    switch (c) {
    case Completion::stall: r.status = ec(EPIPE); return r;
    case Completion::timed_out: r.status = ec(ETIMEDOUT); return r;
    case Completion::io_error: r.status = ec(EIO); return r;
    case Completion::overflow: r.status = ec(EOVERFLOW); return r;
    case Completion::cancelled: r.status = ec(ECANCELED); return r;
    default: break;
    }
    if (req.type == usb::TransferType::control && (req.setup.bmRequestType & usb::kDirIn)) {
        const std::size_t len = std::min<std::size_t>(src_.front_or_zero(), req.setup.wLength);
        for (std::size_t j = 0; j < len; ++j) r.data.push_back(src_.front_or_zero());
        r.actual = len;
    } else {
        r.actual = req.data.size() - (c == Completion::ok_short && !req.data.empty() ? 1 : 0);
    }
    return r;
}

usb::TransferId ScriptedTransport::submit(usb::TransferRequest req, usb::Completion done) {
    std::lock_guard lk(mu_);
    if (gone_ || aborted_) {
        post_status(std::move(done), ENODEV);
        return 0;
    }
    const usb::TransferId id = next_id_++;
    if (req.type != usb::TransferType::control) {
        bool known = false;
        for (const auto& itf : identity_.interfaces)
            for (const auto& ep : itf.endpoints) known |= ep.address == req.endpoint && ep.type == req.type;
        if (!known) {
            post_status(std::move(done), EINVAL);
            return 0;
        }
        if (req.endpoint & usb::kDirIn) {
            parked_in_.push_back({id, std::move(req), std::move(done), true});
            if (!in_events_.empty()) post([this] { deliver_in(); });
            return id;
        }
        check_output_report(req);
    } else {
        check_control(req);
    }

    // A control or OUT transfer: the script says how the device takes it.
    for (auto& e : late_) in_events_.push_back(std::move(e));
    late_.clear();
    const auto a = src_.take_front();
    const auto c = static_cast<Completion>(a.value_or(static_cast<uint8_t>(Completion::unplug)) & 0x0F);
    if (c == Completion::unplug) {
        unplug_locked();
        post_status(std::move(done), ENODEV);
        return id;
    }
    usb::TransferResult r = scripted_result(req, c);
    read_in_events(*a >> 4);
    if (!in_events_.empty()) post([this] { deliver_in(); });
    if (c == Completion::withhold || c == Completion::stuck) {
        held_.push_back({id, std::move(req), std::move(done), c == Completion::withhold});
        return id;
    }
    post_completion(std::move(done), std::move(r));
    return id;
}

void ScriptedTransport::cancel(usb::TransferId id) {
    std::lock_guard lk(mu_);
    auto h = std::find_if(held_.begin(), held_.end(), [id](const Held& x) { return x.id == id; });
    if (h != held_.end() && h->cancellable) {
        post_status(std::move(h->done), ECANCELED);
        held_.erase(h);
        return;
    }
    auto p = std::find_if(parked_in_.begin(), parked_in_.end(), [id](const Held& x) { return x.id == id; });
    if (p != parked_in_.end()) {
        post_status(std::move(p->done), ECANCELED);
        parked_in_.erase(p);
    }
}

void ScriptedTransport::abort() {
    std::lock_guard lk(mu_);
    if (aborted_) return;
    aborted_ = true;
    finish_held_locked(gone_ ? ENODEV : ECANCELED);
}

void ScriptedTransport::on_disconnect(std::function<void()> cb) {
    std::lock_guard lk(mu_);
    on_disconnect_ = std::move(cb);
    if (gone_ && on_disconnect_ && !disconnect_reported_) {
        disconnect_reported_ = true;
        post(on_disconnect_);
    }
}

bool ScriptedTransport::connected() const {
    std::lock_guard lk(mu_);
    return !gone_ && !aborted_;
}

}  // namespace usbio::fuzz
