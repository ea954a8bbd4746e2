// SPDX-License-Identifier: Apache-2.0
// What a gadget has served, counted where any process in the guest can read
// it: a file of four 64-bit counters (control requests, OUT packets, IN
// packets, OUT transfers) that the gadget maps shared and bumps as it serves, and that a
// host-side program reads before and after a batch of operations to learn
// the USB transfers each operation cost, whatever stack issued them.
//
// A transfer is counted before the host can see it finish: a control request
// when its SETUP arrives, an IN packet before it is written, and an OUT
// packet before the model answers it. So once a host call has returned,
// everything it caused is counted.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace usbio::vbench {

struct TrafficCounts {
    uint64_t control = 0;
    uint64_t out = 0;
    uint64_t in = 0;
    // OUT transfers, each ended by a short packet: a host's round trips for
    // a chip that answers each command stream (an MPSSE). A transfer of a
    // whole number of packets sent without a zero-length packet ends
    // unseen and counts with the next one.
    uint64_t out_transfers = 0;

    uint64_t total() const { return control + out + in; }
    TrafficCounts operator-(const TrafficCounts& o) const {
        return {control - o.control, out - o.out, in - o.in, out_transfers - o.out_transfers};
    }
};

class TrafficCounters {
public:
    enum class Kind { control = 0, out = 1, in = 2, out_transfer = 3 };

    // Creates (or truncates) the file and maps it; nullptr with `error`.
    static std::unique_ptr<TrafficCounters> create(const std::string& path, std::string& error);
    ~TrafficCounters();
    TrafficCounters(const TrafficCounters&) = delete;
    TrafficCounters& operator=(const TrafficCounters&) = delete;

    void count(Kind k) noexcept;

    // The counts in a file made by create(); false with `error`.
    static bool read(const std::string& path, TrafficCounts& out, std::string& error);

private:
    explicit TrafficCounters(uint64_t* words) : words_(words) {}
    uint64_t* words_;
};

}  // namespace usbio::vbench
