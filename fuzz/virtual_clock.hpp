// SPDX-License-Identifier: Apache-2.0
// Virtual time for the driver fuzz target. steady_clock::now() and the
// timed condition-variable waits behind it are replaced in the fuzz binary:
// the clock stands still until the fuzzing thread waits for a deadline while
// the scripted transport has nothing left to do, and then jumps straight to
// that deadline. A reply the input withholds therefore costs the driver its
// full timeout, bit for bit as on a device, and no real time.
#pragma once

namespace usbio::fuzz::virtual_clock {

// Makes the calling thread's steady_clock waits virtual while it lives.
class Scope {
public:
    Scope();
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
};

// Transport work queued and not yet finished: while any is, a virtual wait
// is a short real wait for that work instead of a jump.
void work_added() noexcept;
void work_done() noexcept;

}  // namespace usbio::fuzz::virtual_clock
