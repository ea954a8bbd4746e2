// SPDX-License-Identifier: Apache-2.0
// Unplugs the bench's device at a chosen moment: the gadget is told to hold
// its OUT endpoint (control FIFO "hold-out 1"), and once its log says it
// holds one, the gadget is unbound from its UDC (configfs UDC file).
// The host's next output report then waits on the link, so whatever call
// is running is certainly in flight when the cable goes.
#pragma once

#include <string>

#include "timing.hpp"

namespace usbio::compare {

struct UnplugPaths {
    std::string control;     // the gadget's command FIFO
    std::string gadget_log;  // its log (stderr), where "OUT ... held" appears
    std::string udc;         // .../usb_gadget/<name>/UDC
};

struct UnplugTimes {
    Clock::time_point hold_sent;
    Clock::time_point held_seen;
    Clock::time_point unbind_start;
    Clock::time_point unbind_end;
};

// 0, or an errno with `error` saying which step failed.
int hold_out(const UnplugPaths& p, UnplugTimes& t, std::string& error);
int unbind(const UnplugPaths& p, UnplugTimes& t, std::string& error);
// Best effort: the replug is the scenario script's business.
void release_hold(const UnplugPaths& p);

}  // namespace usbio::compare
