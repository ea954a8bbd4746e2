// SPDX-License-Identifier: Apache-2.0
// Benchmark cases for the revocable ops pointer (core/src/revocable.hpp).
#pragma once

namespace usbio::bench {

// Time per call through the ops, at 1 and 2 threads on one shared object:
//   plain_call        acquire load of the pointer + indirect call, no guard
//   guarded_call      Revocable<T>::enter(), null check, call, leave
//   shared_mutex_call std::shared_lock around the call
//   urcu_memb_call    liburcu-memb read-side section around the call
// With `guard_only`, only plain_call and guarded_call (the symmetric-mode run).
void register_read_side_cases(bool guard_only);

// Fixed cost of revoke() + drain() with no reader inside the revocable:
//   revoke_drain_idle       nothing else running
//   revoke_drain_busy_peer  another thread busy in guarded calls on another
//                           revocable, so the heavy barrier has a CPU to reach
void register_revoke_cases();

}  // namespace usbio::bench
