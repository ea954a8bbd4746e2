// SPDX-License-Identifier: Apache-2.0
// The operations scenario callers run in a loop, on shared handles.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "bench_config.hpp"
#include "caller.hpp"
#include "usbio/usbio.hpp"

namespace usbio::hw {

// Sequential read of `length` bytes (capped at what the adapter reads in
// one message) from the configured EEPROM at `offset`: the long I2C read.
Caller::Op eeprom_reader(I2cBus bus, const BenchConfig& config, unsigned offset, std::size_t length);
// The sensor's temperature register (pointer write, 2-byte read).
Caller::Op sensor_reader(I2cBus bus, uint16_t addr);
// Drives `pair.out` to alternating levels and reads `pair.in` back through
// the jumper; a mismatch is EIO ("loopback mismatch"). `req` holds both
// lines, out as an output, in as an input.
Caller::Op loopback_toggler(LineRequest req, LoopbackPair pair);
// The request for one jumper: `p.out` an output driven low, `p.in` an
// input with the given edge detection.
RequestConfig loopback_request(const LoopbackPair& p, Edge edge, std::string consumer = "usbio_hw");
// wait_edge_events with a long timeout: the blocked caller.
Caller::Op edge_waiter(LineRequest req, std::chrono::milliseconds timeout);

// The EEPROM's address bytes for `offset` (1 or 2 of them).
std::vector<uint8_t> eeprom_address(const BenchConfig& config, unsigned offset);

}  // namespace usbio::hw
