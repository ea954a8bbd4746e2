// The commands a gadget takes on its control channel:
//   hold-out 1|0          stop / resume taking packets from the host on OUT
//                         endpoints (the host's writes then wait, as with a
//                         device that NAKs); takes effect after the packet
//                         being read, so the one in flight still arrives
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
