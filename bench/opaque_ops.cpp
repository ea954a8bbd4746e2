// SPDX-License-Identifier: Apache-2.0
#include "opaque_ops.hpp"

#include <benchmark/benchmark.h>

namespace usbio::bench {

namespace {

class TinyOps final : public Ops {
public:
    int call(int x) const noexcept override {
        benchmark::DoNotOptimize(x);
        return x + 1;
    }
};

}  // namespace

const Ops& opaque_ops() {
    static const TinyOps ops;
    return ops;
}

}  // namespace usbio::bench
