// SPDX-License-Identifier: Apache-2.0
// The revocable pointer: how core holds a driver's ops.
//
// Readers (every API call) enter a guarded section, get the pointer or null,
// call the driver, and leave. A revoker nulls the pointer and then waits until
// every reader that got the old pointer has left. After that no reader can
// reach the pointee, so the driver may be freed.
//
// Read side cost. A reader publishes "I am inside R" in a slot of its own
// thread's record (a cache line no other thread writes), then loads the
// pointer. Nothing shared is written, so readers on many threads never bounce
// a cache line. The store-then-load must not be reordered against the
// revoker's store-then-scan (Dekker); instead of a full fence on every read,
// the revoker issues membarrier(PRIVATE_EXPEDITED), which runs a full barrier
// on every CPU running this process. Where membarrier is unavailable, or under
// ThreadSanitizer (which cannot see membarrier), both sides use seq_cst
// operations instead ("symmetric" mode): correct, slower, still shared-line free.
//
// Sections may nest (a driver calling into core again, or one device's call
// entering another's) up to kSlots deep per thread; deeper nesting falls back
// to a per-revocable atomic counter.
//
// A reader that finds the pointer null leaves its slot at once, and a drain
// waits only for the sections it saw in one scan after the null store (each
// slot carries a generation, so a slot re-taken by a later section does not
// count): removal time does not depend on how many threads keep calling.
//
// Waiting is per revocable: revoking one device never waits for calls on
// another. A revoker must not wait for a section its own thread holds; use
// held_by_this_thread() to detect that and finish the revocation elsewhere.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

namespace usbio::detail {

class RevocableBase {
public:
    static constexpr int kSlots = 8;

    RevocableBase() = default;
    RevocableBase(const RevocableBase&) = delete;
    RevocableBase& operator=(const RevocableBase&) = delete;

    // True when the calling thread is inside a section of this revocable.
    bool held_by_this_thread() const noexcept;

    // Blocks until no reader that entered before the pointer was nulled is
    // still inside. Precondition: the pointer is null and this thread holds
    // no section of this revocable. `on_slow` is called about every
    // `report_every` while readers remain (for hung-call diagnostics).
    template <class F>
    void drain(std::chrono::milliseconds report_every, F&& on_slow);
    void drain() {
        drain(std::chrono::milliseconds(5000), [](int) {});
    }

    // Number of readers currently inside (a snapshot; for diagnostics).
    int readers_inside() const;

    // Whether the fast (asymmetric, membarrier) read side is in use.
    static bool fast_mode() noexcept;

    // Per-thread announcement slots (public for the registry in revocable.cpp).
    struct ThreadRecord;

protected:
    static ThreadRecord& record() noexcept;
    static ThreadRecord& make_record() noexcept;

    // Read side, split so the guard's inline part stays small.
    using Slot = std::atomic<const RevocableBase*>;
    // Returns the slot taken, or null when nesting overflowed to the counter.
    // The guard keeps the slot so leaving needs no second TLS lookup.
    inline Slot* announce(bool fast) const noexcept;
    inline void retract(Slot* slot, bool fast) const noexcept;

    // Revoke side: after nulling the pointer with a seq_cst store.
    void heavy_barrier() const noexcept;

    void notify_drainer() const noexcept;

    // One section a drain waits for: a slot of a thread's record and the
    // generation it had when the drain saw it.
    struct Seen {
        const ThreadRecord* record;
        int index;
        std::uint32_t gen;
    };
    // The sections inside now (taken once, after the heavy barrier).
    void sections_inside(std::vector<Seen>& out) const;
    // Whether any of `seen` is still the same section, or the counter
    // fallback still has readers.
    bool any_still_inside(const std::vector<Seen>& seen) const;

    mutable std::atomic<int> slow_inflight_{0};
    mutable std::atomic<int> waiters_{0};
    mutable std::mutex drain_mu_;
    mutable std::condition_variable drain_cv_;
};

// Per-thread record. Aligned to its own cache lines so that announcing never
// writes a line another thread reads on its fast path.
struct alignas(128) RevocableBase::ThreadRecord {
    // Written only by the owning thread; read by revokers when they scan.
    std::atomic<const RevocableBase*> slots[kSlots] = {};
    // Bumped before a slot is taken, so a drain can tell a section it saw
    // from a later one in the same slot.
    std::atomic<std::uint32_t> gens[kSlots] = {};
    ThreadRecord* next = nullptr;
    ThreadRecord* prev = nullptr;
    ThreadRecord();
    ~ThreadRecord();
};

namespace revocable_cfg {
#if defined(__SANITIZE_THREAD__)
inline constexpr bool kSymmetricOnly = true;
#else
inline constexpr bool kSymmetricOnly = false;
#endif
extern bool g_fast;  // set once at start-up: membarrier registered
// A plain pointer (no TLS init guard on access); the record itself is owned
// by a thread_local holder created on the thread's first section.
inline thread_local RevocableBase::ThreadRecord* t_record = nullptr;
// Sections this thread holds on the counter fallback (nesting deeper than
// kSlots); held_by_this_thread() is conservative while it is non-zero.
inline thread_local int t_overflow_sections = 0;
}  // namespace revocable_cfg

inline RevocableBase::ThreadRecord& RevocableBase::record() noexcept {
    ThreadRecord* r = revocable_cfg::t_record;
    if (r != nullptr) [[likely]]
        return *r;
    return make_record();
}

inline bool RevocableBase::fast_mode() noexcept { return !revocable_cfg::kSymmetricOnly && revocable_cfg::g_fast; }

inline RevocableBase::Slot* RevocableBase::announce(bool fast) const noexcept {
    ThreadRecord& r = record();
    // First free slot: nested sections normally take 0, 1, 2...; guards that
    // end out of order leave holes that are reused safely.
    for (int i = 0; i < kSlots; ++i) {
        Slot& slot = r.slots[i];
        if (slot.load(std::memory_order_relaxed) != nullptr) continue;
        // Single writer: a plain increment. The release store below orders
        // it before the slot for a drainer that sees the slot.
        r.gens[i].store(r.gens[i].load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        if (fast) {
            slot.store(this, std::memory_order_release);
            std::atomic_signal_fence(std::memory_order_seq_cst);
        } else {
            slot.store(this, std::memory_order_seq_cst);
        }
        return &slot;
    }
    ++revocable_cfg::t_overflow_sections;
    slow_inflight_.fetch_add(1, std::memory_order_seq_cst);
    return nullptr;
}

inline void RevocableBase::retract(Slot* slot, bool fast) const noexcept {
    if (slot != nullptr) [[likely]] {
        if (fast) {
            slot->store(nullptr, std::memory_order_release);
            std::atomic_signal_fence(std::memory_order_seq_cst);
        } else {
            slot->store(nullptr, std::memory_order_seq_cst);
        }
    } else {
        slow_inflight_.fetch_sub(1, std::memory_order_seq_cst);
        --revocable_cfg::t_overflow_sections;
    }
    // A revoker waiting for us bumped waiters_ before its heavy barrier, so
    // either we see it here or it sees our slot cleared when it scans.
    if (waiters_.load(fast ? std::memory_order_relaxed : std::memory_order_seq_cst) != 0) [[unlikely]]
        notify_drainer();
}

template <class F>
void RevocableBase::drain(std::chrono::milliseconds report_every, F&& on_slow) {
    waiters_.fetch_add(1, std::memory_order_seq_cst);
    heavy_barrier();
    // Sections that entered after the null store see null and leave; the
    // ones seen here are all that can hold the old pointer.
    std::vector<Seen> seen;
    sections_inside(seen);
    auto next_report = std::chrono::steady_clock::now() + report_every;
    {
        std::unique_lock lk(drain_mu_);
        while (any_still_inside(seen)) {
            // Readers notify on leaving; the timed wait is only a backstop.
            drain_cv_.wait_for(lk, std::chrono::milliseconds(50));
            if (std::chrono::steady_clock::now() >= next_report) {
                lk.unlock();
                on_slow(readers_inside());
                lk.lock();
                next_report = std::chrono::steady_clock::now() + report_every;
            }
        }
    }
    waiters_.fetch_sub(1, std::memory_order_seq_cst);
}

template <class T>
class Revocable : public RevocableBase {
public:
    explicit Revocable(T* p) noexcept : ptr_(p) {}

    class Guard {
    public:
        Guard(const Guard&) = delete;
        Guard& operator=(const Guard&) = delete;
        ~Guard() {
            if (owner_ != nullptr) [[likely]]
                owner_->retract(slot_, fast_);
        }

        T* get() const noexcept { return p_; }
        T* operator->() const noexcept { return p_; }
        explicit operator bool() const noexcept { return p_ != nullptr; }

    private:
        friend class Revocable;
        explicit Guard(const Revocable* owner) noexcept : owner_(owner) {
            fast_ = fast_mode();
            slot_ = owner_->announce(fast_);
            p_ = owner_->ptr_.load(slot_ != nullptr && fast_ ? std::memory_order_acquire : std::memory_order_seq_cst);
            if (p_ == nullptr) [[unlikely]] {
                // Revoked: nothing to protect, so do not hold up the drain
                // while the caller reports the device gone.
                owner_->retract(slot_, fast_);
                owner_ = nullptr;
            }
        }
        const Revocable* owner_;
        T* p_;
        Slot* slot_;
        bool fast_;
    };

    // Enters a section. The guard holds the pointer (null once revoked)
    // and must stay on the stack of the thread that made it.
    Guard enter() const noexcept { return Guard(this); }

    // Nulls the pointer. Returns the old value (null when already revoked),
    // so exactly one caller sees non-null.
    T* revoke() noexcept { return ptr_.exchange(nullptr, std::memory_order_seq_cst); }

    bool revoked() const noexcept { return ptr_.load(std::memory_order_acquire) == nullptr; }

private:
    std::atomic<T*> ptr_;
};

}  // namespace usbio::detail
