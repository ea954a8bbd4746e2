// SPDX-License-Identifier: Apache-2.0
#include "endpoint_pumps.hpp"

#include <fcntl.h>

#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>

#include "log.hpp"

namespace usbio::vbench {
namespace {

// After an error nobody expected, wait this long before trying again, so a
// persistent fault becomes a slow log instead of a busy loop.
constexpr auto kErrorBackoff = std::chrono::milliseconds(20);

std::string head(std::span<const uint8_t> d) {
    std::string s;
    char b[4];
    for (std::size_t i = 0; i < d.size() && i < 8; ++i) {
        std::snprintf(b, sizeof b, "%02x ", d[i]);
        s += b;
    }
    return s;
}

}  // namespace

EndpointPumps::EndpointPumps(BenchDevice& device, const std::vector<FfsEndpointFile>& endpoints, bool verbose)
    : device_(device), verbose_(verbose) {
    for (const auto& f : endpoints) {
        auto w = std::make_unique<Worker>();
        w->file = f;
        workers_.push_back(std::move(w));
    }
}

EndpointPumps::~EndpointPumps() { stop(std::chrono::seconds(2)); }

void EndpointPumps::start() {
    for (auto& w : workers_) {
        Worker* p = w.get();
        p->thread = std::thread([this, p] {
            if (p->file.endpoint.in())
                run_in(*p);
            else
                run_out(*p);
            finished(*p);
        });
    }
}

void EndpointPumps::set_enabled(bool enabled) {
    {
        std::lock_guard lock(mu_);
        enabled_ = enabled;
        // A freshly configured host may find packets queued before it came.
        if (enabled)
            for (auto& w : workers_) w->in_pending = true;
    }
    cv_.notify_all();
}

void EndpointPumps::in_ready() {
    {
        std::lock_guard lock(mu_);
        for (auto& w : workers_) w->in_pending = true;
    }
    cv_.notify_all();
}

void EndpointPumps::set_out_hold(bool hold) {
    {
        std::lock_guard lock(mu_);
        out_hold_ = hold;
    }
    cv_.notify_all();
}

void EndpointPumps::finished(Worker& w) {
    {
        std::lock_guard lock(mu_);
        w.done = true;
    }
    exit_cv_.notify_all();
}

void EndpointPumps::run_out(Worker& w) {
    const uint8_t address = w.file.endpoint.model_address;
    std::vector<uint8_t> buf;
    std::size_t packet = 0;  // max packet size of the link in use; 0 = ask
    while (!stopping_) {
        {
            std::unique_lock lock(mu_);
            if (out_hold_) {
                log("OUT 0x%02x held", address);
                cv_.wait(lock, [&] { return stopping_ || !out_hold_; });
                log("OUT 0x%02x released", address);
                packet = 0;  // the link may have gone and come back meanwhile
                continue;
            }
        }
        if (packet == 0) {
            // Blocks until the host enables the endpoint; tells the size for
            // the speed the link came up at.
            usb_endpoint_descriptor desc{};
            if (ioctl(w.file.fd, FUNCTIONFS_ENDPOINT_DESC, &desc) < 0) {
                if (errno != EINTR) {
                    log("%s: endpoint descriptor: %s", w.file.path.c_str(), std::strerror(errno));
                    std::this_thread::sleep_for(kErrorBackoff);
                }
                continue;
            }
            packet = le16toh(desc.wMaxPacketSize) & 0x07FF;
            buf.resize(packet);
            log("%s: OUT 0x%02x enabled as 0x%02x, %zu-byte packets", w.file.path.c_str(), address,
                desc.bEndpointAddress, packet);
        }
        // Exactly one packet: a longer read waits for a short packet that a
        // full-size HID report never brings.
        const ssize_t n = read(w.file.fd, buf.data(), packet);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != ESHUTDOWN) {
                log("%s: read: %s", w.file.path.c_str(), std::strerror(errno));
                std::this_thread::sleep_for(kErrorBackoff);
            }
            packet = 0;  // the link went down; its next speed may differ
            continue;
        }
        const std::span<const uint8_t> data(buf.data(), std::size_t(n));
        if (verbose_) log("OUT 0x%02x %zd bytes: %s", address, n, head(data).c_str());
        // A packet has been acknowledged by the time it is read; a model that
        // refuses it can only be reported.
        // A packet shorter than the endpoint's size ends the host's transfer.
        if (!device_.out_packet(address, data, std::size_t(n) < packet))
            log("OUT 0x%02x: model refused a %zd-byte packet", address, n);
    }
}

void EndpointPumps::run_in(Worker& w) {
    const uint8_t address = w.file.endpoint.model_address;
    // Without O_NONBLOCK a write on a disabled endpoint waits for the next
    // ENABLE and then sends a packet of the link before (taken from the
    // model just before an unplug): stale data that the host's next session
    // would take for its own. With it the write fails with EAGAIN and the
    // packet goes, as the model's queue does on reset. Only the wait for
    // the endpoint is non-blocking; the transfer itself still blocks.
    if (const int fl = fcntl(w.file.fd, F_GETFL); fl < 0 || fcntl(w.file.fd, F_SETFL, fl | O_NONBLOCK) < 0)
        log("%s: O_NONBLOCK: %s", w.file.path.c_str(), std::strerror(errno));
    while (!stopping_) {
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || (enabled_ && w.in_pending); });
            if (stopping_) break;
            w.in_pending = false;
        }
        for (;;) {
            {
                std::lock_guard lock(mu_);
                if (!enabled_ || stopping_) break;
            }
            bool stray = false, last_stray = false;
            auto packet = in_faults_.take_stray(last_stray);
            if (packet) {
                stray = true;
            } else {
                packet = device_.in_packet(address);
                if (!packet) break;
            }
            const auto delay = stray ? std::chrono::milliseconds(0) : in_faults_.take_delay(*packet);
            if (delay.count() > 0 && !hold_in(delay)) break;
            if (verbose_) log("IN 0x%02x %zu bytes: %s", address, packet->size(), head(*packet).c_str());
            ssize_t n;
            for (;;) {
                n = write(w.file.fd, packet->data(), packet->size());
                if (n >= 0 || stopping_) break;
                if (errno == EINTR) continue;
                // EAGAIN is meant for a disabled endpoint; should it come
                // while the link is up, the packet is sent all the same.
                if (errno == EAGAIN && enabled()) {
                    std::this_thread::yield();
                    continue;
                }
                break;
            }
            if (n < 0) {
                // ESHUTDOWN: unplugged while the host had not read it;
                // EAGAIN: the endpoint was already disabled. The model
                // forgets its queue on reset, so the packet goes too.
                if (errno == EAGAIN)
                    log("IN 0x%02x: link down, a %zu-byte packet dropped", address, packet->size());
                else if (errno != ESHUTDOWN && errno != EINTR)
                    log("%s: write: %s", w.file.path.c_str(), std::strerror(errno));
                break;
            }
            // Scripts wait for these lines before they go on.
            if (last_stray) log("IN 0x%02x: stray reports all sent", address);
            if (delay.count() > 0)
                log("IN 0x%02x: late report sent, %lld ms late", address, static_cast<long long>(delay.count()));
        }
    }
}

bool EndpointPumps::enabled() {
    std::lock_guard lock(mu_);
    return enabled_;
}

bool EndpointPumps::hold_in(std::chrono::milliseconds delay) {
    std::unique_lock lock(mu_);
    return !cv_.wait_for(lock, delay, [&] { return stopping_.load(); });
}

bool EndpointPumps::stop(std::chrono::milliseconds limit) {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::unique_lock lock(mu_);
    for (;;) {
        bool all_done = true;
        for (auto& w : workers_) {
            if (w->thread.joinable() && !w->done) {
                all_done = false;
                // A signal sent just before the thread entered its call is
                // lost, so keep sending until it has come out.
                pthread_kill(w->thread.native_handle(), kWakeSignal);
            }
        }
        if (all_done) break;
        if (exit_cv_.wait_until(lock,
                                std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(10))) ==
                std::cv_status::timeout &&
            std::chrono::steady_clock::now() >= deadline) {
            lock.unlock();
            for (auto& w : workers_)
                if (w->thread.joinable() && !w->done) w->thread.detach();
            lock.lock();
            break;
        }
    }
    lock.unlock();
    bool ok = true;
    for (auto& w : workers_) {
        if (w->thread.joinable())
            w->thread.join();
        else if (!w->done)
            ok = false;
    }
    return ok;
}

}  // namespace usbio::vbench
