// SPDX-License-Identifier: Apache-2.0
#include "revocable.hpp"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace usbio::detail {

namespace {

// Every thread that ever entered a section has a record here. The list is
// leaked on purpose: threads may exit (and unregister) during static
// destruction.
struct Registry {
    std::mutex mu;
    RevocableBase::ThreadRecord* head = nullptr;
};

Registry& registry() {
    static Registry* r = new Registry;
    return *r;
}

long membarrier(int cmd) { return syscall(__NR_membarrier, cmd, 0, 0); }

bool register_membarrier() {
    if (revocable_cfg::kSymmetricOnly) return false;
    if (getenv("USBIO_REVOCABLE_SYMMETRIC") != nullptr) return false;  // test both modes
    long mask = membarrier(MEMBARRIER_CMD_QUERY);
    if (mask < 0 || !(mask & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) return false;
    return membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}

// Owns the calling thread's record and unregisters it at thread exit.
struct RecordHolder {
    RevocableBase::ThreadRecord rec;
    ~RecordHolder() { revocable_cfg::t_record = nullptr; }
};

}  // namespace

namespace revocable_cfg {
bool g_fast = register_membarrier();
}

using ThreadRecord = RevocableBase::ThreadRecord;

ThreadRecord::ThreadRecord() {
    Registry& reg = registry();
    std::lock_guard lk(reg.mu);
    next = reg.head;
    if (next) next->prev = this;
    reg.head = this;
}

ThreadRecord::~ThreadRecord() {
    Registry& reg = registry();
    std::lock_guard lk(reg.mu);
    if (prev)
        prev->next = next;
    else
        reg.head = next;
    if (next) next->prev = prev;
}

ThreadRecord& RevocableBase::make_record() noexcept {
    thread_local RecordHolder holder;
    revocable_cfg::t_record = &holder.rec;
    return holder.rec;
}

void RevocableBase::heavy_barrier() const noexcept {
    if (fast_mode()) {
        // Orders every reader's slot store before our scan, or our null
        // store before their pointer load. Cannot fail once registered.
        membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
    }
    // Symmetric mode needs no fence: readers' slot stores and pointer loads,
    // our pointer exchange, waiters_ update and slot scan are all seq_cst, so
    // the single total order already gives Dekker's guarantee.
}

int RevocableBase::readers_inside() const {
    int n = slow_inflight_.load(std::memory_order_seq_cst);
    Registry& reg = registry();
    std::lock_guard lk(reg.mu);
    for (ThreadRecord* r = reg.head; r; r = r->next)
        for (auto& s : r->slots)
            if (s.load(std::memory_order_seq_cst) == this) ++n;
    return n;
}

void RevocableBase::sections_inside(std::vector<Seen>& out) const {
    Registry& reg = registry();
    std::lock_guard lk(reg.mu);
    for (ThreadRecord* r = reg.head; r; r = r->next)
        for (int i = 0; i < kSlots; ++i)
            if (r->slots[i].load(std::memory_order_seq_cst) == this)
                out.push_back({r, i, r->gens[i].load(std::memory_order_seq_cst)});
}

bool RevocableBase::any_still_inside(const std::vector<Seen>& seen) const {
    if (slow_inflight_.load(std::memory_order_seq_cst) > 0) return true;
    if (seen.empty()) return false;
    Registry& reg = registry();
    std::lock_guard lk(reg.mu);
    // A record missing from the list belongs to a thread that has exited,
    // which it cannot do inside a section.
    for (ThreadRecord* r = reg.head; r; r = r->next)
        for (const Seen& s : seen)
            if (s.record == r && r->slots[s.index].load(std::memory_order_seq_cst) == this &&
                r->gens[s.index].load(std::memory_order_seq_cst) == s.gen)
                return true;
    return false;
}

bool RevocableBase::held_by_this_thread() const noexcept {
    if (revocable_cfg::t_overflow_sections > 0 && slow_inflight_.load() > 0) return true;
    ThreadRecord* r = revocable_cfg::t_record;
    if (!r) return false;
    for (auto& s : r->slots)
        if (s.load(std::memory_order_relaxed) == this) return true;
    return false;
}

void RevocableBase::notify_drainer() const noexcept {
    // Taking the mutex orders our slot clear before the drainer's next scan.
    std::lock_guard lk(drain_mu_);
    drain_cv_.notify_all();
}

}  // namespace usbio::detail
