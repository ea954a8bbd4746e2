// SPDX-License-Identifier: Apache-2.0
// A driver-like ops table whose implementation lives in another translation
// unit, so a benchmark loop calling it cannot devirtualise, inline or hoist
// the call: every iteration pays a real indirect call, as an API call into a
// driver does.
#pragma once

namespace usbio::bench {

class Ops {
public:
    virtual ~Ops() = default;
    // A tiny amount of work the optimiser cannot remove.
    virtual int call(int x) const noexcept = 0;
};

// One process-wide instance. Calls write no shared memory, so threads that
// call it concurrently measure their own guard and nothing else.
const Ops& opaque_ops();

}  // namespace usbio::bench
