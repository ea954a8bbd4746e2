// SPDX-License-Identifier: Apache-2.0
// Moves packets between the FunctionFS endpoint files and the model, one
// thread per endpoint. An OUT thread reads one packet at a time and hands it
// to the model; an IN thread waits until the model says a packet may be
// ready, then writes every packet the model has.
//
// The threads block in FunctionFS reads and writes, which end only when the
// host moves data, the link goes down (ESHUTDOWN) or a signal arrives. stop()
// wakes them with kWakeSignal, whose handler (installed by the program) does
// nothing but interrupt the call.
#pragma once

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "bench_device.hpp"
#include "ffs_function.hpp"
#include "in_faults.hpp"

namespace usbio::vbench {

class EndpointPumps {
public:
    static constexpr int kWakeSignal = SIGUSR1;

    EndpointPumps(BenchDevice& device, const std::vector<FfsEndpointFile>& endpoints, bool verbose);
    ~EndpointPumps();
    EndpointPumps(const EndpointPumps&) = delete;
    EndpointPumps& operator=(const EndpointPumps&) = delete;

    void start();
    // The host configured (ENABLE) or dropped (DISABLE, UNBIND) the function.
    void set_enabled(bool enabled);
    // The model's in-ready notifier: some IN endpoint may have a packet.
    void in_ready();
    // While held, OUT threads take no packets from the host (see commands.hpp).
    void set_out_hold(bool hold);
    // Stray and late reports on the IN endpoints (see commands.hpp).
    InFaults& in_faults() { return in_faults_; }
    // Ends the threads within `limit`; false if one did not come back (it is
    // left running detached, and the caller should exit the process).
    bool stop(std::chrono::milliseconds limit);

private:
    struct Worker {
        FfsEndpointFile file;
        bool in_pending = false;  // guarded by mu_
        std::atomic<bool> done{false};
        std::thread thread;
    };

    void run_out(Worker& w);
    void run_in(Worker& w);
    // Holds the IN thread for `delay`, or until stop(); false when stopping.
    bool hold_in(std::chrono::milliseconds delay);
    void finished(Worker& w);
    bool enabled();

    BenchDevice& device_;
    const bool verbose_;
    std::vector<std::unique_ptr<Worker>> workers_;

    std::mutex mu_;
    std::condition_variable cv_;       // in_pending, enabled_ or stopping_ changed
    std::condition_variable exit_cv_;  // a worker finished
    bool enabled_ = false;
    bool out_hold_ = false;
    InFaults in_faults_;
    std::atomic<bool> stopping_{false};
};

}  // namespace usbio::vbench
