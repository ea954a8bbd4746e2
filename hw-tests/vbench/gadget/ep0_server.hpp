// SPDX-License-Identifier: Apache-2.0
// Serves FunctionFS ep0: lifecycle events (bind, enable, disable, ...) and
// the control requests the kernel's composite layer passes on to the
// function, which go to the model.
//
// FunctionFS has one way to STALL: ep0 I/O in the direction opposite to the
// request's data stage. For an OUT request with data, the data must be read
// before the model can judge it, and reading it completes the status stage;
// such a late STALL cannot reach the host and is only logged.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "bench_device.hpp"
#include "control_channel.hpp"
#include "endpoint_pumps.hpp"

namespace usbio::vbench {

class Ep0Server {
public:
    Ep0Server(int ep0, BenchDevice& device, EndpointPumps& pumps) : ep0_(ep0), device_(device), pumps_(pumps) {}

    // Serves until `stop_fd` becomes readable; false on an ep0 error that
    // leaves nothing to serve. Lines arriving on `control` (may be null) go
    // to `command` on this thread, between control requests.
    bool run(int stop_fd, ControlChannel* control, const std::function<void(std::string_view)>& command);

private:
    void on_event(uint8_t type, const void* setup);
    void on_setup(const void* setup);
    void ack();
    void stall(bool in);

    const int ep0_;
    BenchDevice& device_;
    EndpointPumps& pumps_;
    bool configured_ = false;
};

}  // namespace usbio::vbench
