// SPDX-License-Identifier: Apache-2.0
#include "usbio/usb/sim_transport.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

namespace usbio::usb {

namespace {

std::error_code err(int e) { return {e, std::generic_category()}; }

bool is_in(const TransferRequest& r) {
    if (r.type == TransferType::control) return (r.setup.bmRequestType & kDirIn) != 0;
    return (r.endpoint & kDirIn) != 0;
}

}  // namespace

// Everything the event thread touches lives here, shared between the
// transport object and the thread: the thread may outlive the object for a
// moment when the object is destroyed from inside one of its own callbacks,
// and the model's notifier holds only a weak reference, so a late notify
// from a model that outlives the transport lands nowhere.
struct SimTransport::State {
    using Clock = std::chrono::steady_clock;

    enum class Stage { queued, parked, active, held };

    struct Pending {
        TransferRequest req;
        Completion done;
        Stage stage = Stage::queued;
        std::optional<Clock::time_point> deadline;
        // Set when a timeout, cancel, abort or unplug hits the transfer while
        // the model is working on it; applied when the model call returns.
        std::error_code forced;
        std::vector<uint8_t> received;  // IN data so far
        std::size_t actual_out = 0;     // OUT bytes the model accepted
        uint16_t max_packet = 0;
    };

    struct Ready {
        Completion done;
        TransferResult result;
    };

    State(DeviceModel* m, const DeviceIdentity& id) : model(m) {
        for (const auto& itf : id.interfaces)
            for (const auto& ep : itf.endpoints) endpoints[ep.address] = ep;
    }

    // The model is owned by SimTransport; the thread calls it only while
    // transfers are pending, which ends before the transport is gone.
    DeviceModel* const model;
    std::map<uint8_t, EndpointInfo> endpoints;

    mutable std::mutex mu;
    std::condition_variable cv;

    std::unordered_map<TransferId, Pending> pending;   // element references are stable
    std::deque<TransferId> queued;                     // not yet looked at by the thread
    std::map<uint8_t, std::deque<TransferId>> parked;  // IN transfers per endpoint, in order
    std::set<std::pair<Clock::time_point, TransferId>> deadlines;
    std::deque<Ready> ready;                  // completions to run, in order
    std::map<uint8_t, EndpointFault> faults;  // by endpoint, 0 = control

    TransferId next_id = 1;
    uint64_t submitted = 0;
    uint64_t unplug_countdown = 0;  // 0 = no unplug planned
    std::size_t outstanding = 0;    // submitted, completion not yet started
    bool gone = false;
    bool aborted = false;
    std::optional<HeldControl> release_request;
    bool stopping = false;
    bool in_ready = false;
    bool disconnect_due = false;
    bool disconnect_reported = false;
    std::function<void()> disconnect_cb;

    // --- called with mu held -------------------------------------------

    void push_ready(Completion done, TransferResult result) {
        ready.push_back(Ready{std::move(done), std::move(result)});
        cv.notify_one();
    }

    void complete(TransferId id, Pending& p, std::error_code ec) {
        TransferResult r;
        r.status = ec;
        if (is_in(p.req)) {
            r.data = std::move(p.received);
            r.actual = r.data.size();
        } else {
            r.actual = p.actual_out;
        }
        if (p.deadline) deadlines.erase({*p.deadline, id});
        Completion done = std::move(p.done);
        pending.erase(id);
        push_ready(std::move(done), std::move(r));
    }

    // Ends a transfer at whatever stage it is; one the model is working on
    // ends when that call returns. A held one (unresponsive endpoint) ends
    // only when `always` (abort, unplug, destruction).
    void fail(TransferId id, std::error_code ec, bool always = false) {
        auto it = pending.find(id);
        if (it == pending.end()) return;
        Pending& p = it->second;
        switch (p.stage) {
        case Stage::held:
            if (!always) return;
            break;
        case Stage::active:
            if (!p.forced) p.forced = ec;
            return;
        case Stage::queued: queued.erase(std::find(queued.begin(), queued.end(), id)); break;
        case Stage::parked: {
            auto& q = parked[p.req.endpoint];
            q.erase(std::find(q.begin(), q.end(), id));
            break;
        }
        }
        complete(id, p, ec);
    }

    void fail_all(std::error_code ec) {
        std::vector<TransferId> ids;
        ids.reserve(pending.size());
        for (const auto& [id, p] : pending) ids.push_back(id);
        std::sort(ids.begin(), ids.end());  // complete in submission order
        for (TransferId id : ids) fail(id, ec, true);
    }

    EndpointFault fault_of(const TransferRequest& r) const {
        auto it = faults.find(r.type == TransferType::control ? uint8_t{0} : r.endpoint);
        return it == faults.end() ? EndpointFault::none : it->second;
    }

    void unplug_locked() {
        if (gone) return;
        gone = true;
        unplug_countdown = 0;
        fail_all(err(ENODEV));
        disconnect_due = true;
        cv.notify_one();
    }

    bool expired(const Pending& p) const { return p.deadline && Clock::now() >= *p.deadline; }

    // Status of a transfer the model has just finished with.
    std::error_code final_status(const Pending& p, std::error_code ec) const {
        if (p.forced) return p.forced;
        if (expired(p)) return err(ETIMEDOUT);
        return ec;
    }

    // --- event thread ----------------------------------------------------

    // Runs one queued completion with the lock released.
    bool dispatch_one(std::unique_lock<std::mutex>& lk) {
        if (ready.empty()) return false;
        Ready r = std::move(ready.front());
        ready.pop_front();
        --outstanding;
        lk.unlock();
        if (r.done) r.done(std::move(r.result));
        r = Ready{};  // captured state dies outside the lock too
        lk.lock();
        return true;
    }

    bool dispatch_disconnect(std::unique_lock<std::mutex>& lk) {
        if (!disconnect_due || stopping) return false;
        disconnect_due = false;
        if (!disconnect_cb) return true;  // reported when a callback is registered
        disconnect_reported = true;
        std::function<void()> cb = disconnect_cb;
        lk.unlock();
        cb();
        cb = nullptr;
        lk.lock();
        return true;
    }

    bool expire_due() {
        bool any = false;
        const auto now = Clock::now();
        while (!deadlines.empty() && deadlines.begin()->first <= now) {
            const TransferId id = deadlines.begin()->second;
            deadlines.erase(deadlines.begin());
            pending.at(id).deadline.reset();
            fail(id, err(ETIMEDOUT));
            any = true;
        }
        return any;
    }

    void run_control(std::unique_lock<std::mutex>& lk, TransferId id, Pending& p) {
        const ControlSetup setup = p.req.setup;
        const bool in = (setup.bmRequestType & kDirIn) != 0;
        std::vector<uint8_t> out;
        if (!in) out = std::move(p.req.data);
        lk.unlock();
        std::error_code ec;
        ControlReply reply;
        try {
            reply = model->control(setup, out);
        } catch (...) {
            ec = err(EIO);
        }
        lk.lock();
        if (!ec && reply.stall) ec = err(EPIPE);
        if (!ec) {
            if (in) {
                if (reply.data.size() > setup.wLength) reply.data.resize(setup.wLength);
                p.received = std::move(reply.data);
            } else {
                p.actual_out = out.size();
            }
        }
        complete(id, p, final_status(p, ec));
    }

    void run_out(std::unique_lock<std::mutex>& lk, TransferId id, Pending& p) {
        const std::vector<uint8_t> data = std::move(p.req.data);
        const uint8_t ep = p.req.endpoint;
        const std::size_t mp = p.max_packet;
        std::error_code ec;
        std::size_t off = 0;
        do {
            const std::size_t n = std::min(mp, data.size() - off);
            lk.unlock();
            bool ok = false;
            try {
                ok = model->out_packet(ep, std::span<const uint8_t>(data.data() + off, n));
            } catch (...) {
                lk.lock();
                ec = err(EIO);
                break;
            }
            lk.lock();
            if (!ok) {
                ec = err(EPIPE);
                break;
            }
            off += n;
            p.actual_out = off;
        } while (off < data.size() && !p.forced);
        complete(id, p, final_status(p, ec));
    }

    // Offers IN tokens to the transfers parked on `ep`, head first, until the
    // model NAKs or none is left.
    void poll(std::unique_lock<std::mutex>& lk, uint8_t ep) {
        auto& q = parked[ep];  // map nodes are stable; only this thread adds keys
        while (!q.empty()) {
            const TransferId id = q.front();
            Pending& p = pending.at(id);
            p.stage = Stage::active;
            lk.unlock();
            std::optional<std::vector<uint8_t>> pkt;
            bool threw = false;
            try {
                pkt = model->in_packet(ep);
            } catch (...) {
                threw = true;
            }
            lk.lock();
            // The head stays put while active: only this thread removes it.
            if (threw) {
                q.pop_front();
                complete(id, p, final_status(p, err(EIO)));
                continue;
            }
            if (!pkt) {
                if (p.forced || expired(p)) {
                    q.pop_front();
                    complete(id, p, final_status(p, {}));
                    continue;
                }
                p.stage = Stage::parked;
                return;
            }
            const std::size_t wanted = p.req.data.size();
            const std::size_t room = wanted - p.received.size();
            std::error_code ec;
            bool finished = false;
            if (pkt->size() > room || pkt->size() > p.max_packet) {
                // Babble: the device sent more than the host asked for.
                pkt->resize(std::min(pkt->size(), room));
                ec = err(EOVERFLOW);
                finished = true;
            }
            p.received.insert(p.received.end(), pkt->begin(), pkt->end());
            if (p.received.size() == wanted || pkt->size() < p.max_packet) finished = true;
            if (finished || p.forced || expired(p)) {
                q.pop_front();
                complete(id, p, final_status(p, ec));
                continue;
            }
            p.stage = Stage::parked;  // wants more packets; ask again
        }
    }

    void poll_all(std::unique_lock<std::mutex>& lk) {
        std::vector<uint8_t> eps;
        for (const auto& [ep, q] : parked)
            if (!q.empty()) eps.push_back(ep);
        for (uint8_t ep : eps) poll(lk, ep);
    }

    void start_next(std::unique_lock<std::mutex>& lk) {
        const TransferId id = queued.front();
        queued.pop_front();
        Pending& p = pending.at(id);
        if (p.req.type == TransferType::control) {
            p.stage = Stage::active;
            run_control(lk, id, p);
        } else if (p.req.endpoint & kDirIn) {
            p.stage = Stage::parked;
            auto& q = parked[p.req.endpoint];
            q.push_back(id);
            if (q.size() == 1) poll(lk, p.req.endpoint);
        } else {
            p.stage = Stage::active;
            run_out(lk, id, p);
        }
    }

    void run() {
        std::unique_lock<std::mutex> lk(mu);
        for (;;) {
            if (dispatch_one(lk)) continue;
            if (dispatch_disconnect(lk)) continue;
            if (stopping && pending.empty()) break;
            if (expire_due()) continue;
            if (!queued.empty()) {
                start_next(lk);
                continue;
            }
            if (in_ready) {
                in_ready = false;
                poll_all(lk);
                continue;
            }
            if (deadlines.empty())
                cv.wait(lk);
            else
                cv.wait_until(lk, deadlines.begin()->first);
        }
    }

    // Destruction from the event thread itself: nothing is active (we are
    // inside a callback), so the remaining completions can run right here.
    void drain_inline() {
        std::unique_lock<std::mutex> lk(mu);
        while (dispatch_one(lk)) {
        }
    }

    void notify_in_ready() {
        std::lock_guard<std::mutex> lk(mu);
        in_ready = true;
        cv.notify_one();
    }
};

SimTransport::SimTransport(std::shared_ptr<DeviceModel> model, std::string path) : model_(std::move(model)) {
    if (!model_) throw std::system_error(err(EINVAL), "SimTransport: no device model");
    identity_ = model_->identity();
    identity_.path = std::move(path);
    identity_.simulated = true;
    state_ = std::make_shared<State>(model_.get(), identity_);
    model_->set_in_ready_notifier([w = std::weak_ptr<State>(state_)] {
        if (auto s = w.lock()) s->notify_in_ready();
    });
    thread_ = std::thread([s = state_] { s->run(); });
}

SimTransport::~SimTransport() {
    {
        std::lock_guard<std::mutex> lk(state_->mu);
        State& s = *state_;
        s.stopping = true;
        s.unplug_countdown = 0;
        s.disconnect_due = false;
        s.fail_all(err(s.gone ? ENODEV : ECANCELED));
        s.cv.notify_one();
    }
    if (std::this_thread::get_id() == thread_.get_id()) {
        state_->drain_inline();
        thread_.detach();
    } else {
        thread_.join();
    }
    // The model's notifier is left alone: it holds only a weak reference to
    // our state, and a newer transport on the same model (a re-plug) may
    // have installed its own by now, which clearing would silence.
    std::function<void()> cb;
    std::optional<HeldControl> farewell;
    {
        std::lock_guard<std::mutex> lk(state_->mu);
        cb = std::move(state_->disconnect_cb);
        if (!state_->gone) farewell = std::move(state_->release_request);
    }
    if (farewell) {
        try {
            (void)state_->model->control(farewell->setup, farewell->data);
        } catch (...) {
            // As a failed transfer: ignored.
        }
    }
}

void SimTransport::set_release_request(const ControlSetup& setup, std::vector<uint8_t> data) {
    std::lock_guard<std::mutex> lk(state_->mu);
    state_->release_request = HeldControl{setup, std::move(data)};
}

const DeviceIdentity& SimTransport::identity() const { return identity_; }

TransferId SimTransport::submit(TransferRequest req, Completion done) {
    State& s = *state_;
    std::lock_guard<std::mutex> lk(s.mu);
    ++s.submitted;
    ++s.outstanding;
    if (s.unplug_countdown != 0 && --s.unplug_countdown == 0) s.unplug_locked();

    auto refuse = [&](int e) {
        TransferResult r;
        r.status = err(e);
        s.push_ready(std::move(done), std::move(r));
        return TransferId{0};
    };
    if (s.gone || s.aborted || s.stopping) return refuse(ENODEV);
    if (req.timeout.count() < 0) return refuse(EINVAL);

    uint16_t max_packet = 0;
    if (req.type == TransferType::control) {
        if (req.endpoint != 0) return refuse(EINVAL);
        if (!(req.setup.bmRequestType & kDirIn) && req.data.size() != req.setup.wLength) return refuse(EINVAL);
    } else {
        auto it = s.endpoints.find(req.endpoint);
        if (it == s.endpoints.end() || it->second.type != req.type) return refuse(EINVAL);
        max_packet = it->second.max_packet;
        if (max_packet == 0) return refuse(EIO);  // the model describes an unusable endpoint
    }

    const EndpointFault fault = s.fault_of(req);
    if (fault == EndpointFault::cancelled) return refuse(ECANCELED);

    const TransferId id = s.next_id++;
    State::Pending p;
    if (fault == EndpointFault::unresponsive) {
        // Never served, never timed out; only fail_all() ends it.
        p.stage = State::Stage::held;
        p.req = std::move(req);
        p.done = std::move(done);
        s.pending.emplace(id, std::move(p));
        return id;
    }
    if (req.timeout.count() > 0) {
        p.deadline = State::Clock::now() + req.timeout;
        s.deadlines.insert({*p.deadline, id});
    }
    p.req = std::move(req);
    p.done = std::move(done);
    p.max_packet = max_packet;
    s.pending.emplace(id, std::move(p));
    s.queued.push_back(id);
    s.cv.notify_one();
    return id;
}

void SimTransport::cancel(TransferId id) {
    std::lock_guard<std::mutex> lk(state_->mu);
    state_->fail(id, err(ECANCELED));
}

void SimTransport::abort() {
    std::lock_guard<std::mutex> lk(state_->mu);
    State& s = *state_;
    s.aborted = true;
    s.unplug_countdown = 0;
    s.fail_all(err(s.gone ? ENODEV : ECANCELED));
}

void SimTransport::on_disconnect(std::function<void()> cb) {
    std::function<void()> old;
    std::lock_guard<std::mutex> lk(state_->mu);
    State& s = *state_;
    old = std::exchange(s.disconnect_cb, std::move(cb));
    if (s.gone && !s.disconnect_reported && s.disconnect_cb) {
        s.disconnect_due = true;
        s.cv.notify_one();
    }
}

bool SimTransport::connected() const {
    std::lock_guard<std::mutex> lk(state_->mu);
    return !state_->gone && !state_->aborted;
}

void SimTransport::unplug() {
    std::lock_guard<std::mutex> lk(state_->mu);
    state_->unplug_locked();
}

void SimTransport::unplug_at_transfer(uint64_t n) {
    std::lock_guard<std::mutex> lk(state_->mu);
    if (!state_->gone && !state_->aborted) state_->unplug_countdown = n;
}

void SimTransport::set_endpoint_fault(uint8_t endpoint, EndpointFault fault) {
    std::lock_guard<std::mutex> lk(state_->mu);
    State& s = *state_;
    s.faults[endpoint] = fault;
    if (fault != EndpointFault::cancelled) return;
    auto it = s.parked.find(endpoint);
    if (it == s.parked.end()) return;
    const std::deque<TransferId> ids = it->second;  // fail() edits the queue
    for (TransferId id : ids) s.fail(id, err(ECANCELED));
}

uint64_t SimTransport::transfer_count() const {
    std::lock_guard<std::mutex> lk(state_->mu);
    return state_->submitted;
}

std::size_t SimTransport::in_flight() const {
    std::lock_guard<std::mutex> lk(state_->mu);
    return state_->outstanding;
}

}  // namespace usbio::usb
