// SPDX-License-Identifier: Apache-2.0
// The commands a gadget takes on its control channel:
//   hold-out 1|0          stop / resume taking packets from the host on OUT
//                         endpoints (the host's writes then wait, as with a
//                         device that NAKs); takes effect after the packet
//                         being read, so the one in flight still arrives
//   stray COUNT [ID]      send COUNT input reports the chip never made
//                         (report ID, default 0x16, then zeros) before the
//                         chip's next ones; "IN 0x..: stray reports all
//                         sent" is logged once the host has taken the last
//   late MS [ID]          hold the chip's next input report (the next one
//                         with report ID ID, if given) MS milliseconds
//                         before sending it: a reply that comes after the
//                         host's driver gave up; "IN 0x..: late report
//                         sent" is logged once it went
//   <world command>       passed to the chip's simulated world (see
//                         BenchDevice::world)
#pragma once

#include <string>
#include <string_view>

#include "bench_device.hpp"
#include "endpoint_pumps.hpp"

namespace usbio::vbench {

// "ok" or "error: why".
std::string run_command(std::string_view line, BenchDevice& device, EndpointPumps& pumps);

}  // namespace usbio::vbench
