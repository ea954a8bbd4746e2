// SPDX-License-Identifier: Apache-2.0
// How gpio mon prints an edge event: libgpiod v1.6 gpiomon's default line,
// its -F format, and JSON.
#pragma once

#include <string>

#include "usbio/gpio.hpp"

namespace usbio::cli {

// "event:  RISING EDGE offset: 0 timestamp: [    2116.578586756]"
std::string edge_line(const EdgeEvent& e);

// gpiomon's -F: %o offset, %e 1 rising / 0 falling, %s seconds, %n
// nanoseconds (unpadded, as gpiomon prints them), %% a percent sign; any
// other %x stays as written, a lone % at the end prints as %.
std::string edge_custom_line(const std::string& format, const EdgeEvent& e);

// {"event":"rising","offset":0,"timestamp_ns":...,"seqno":1}
std::string edge_json(const EdgeEvent& e);

}  // namespace usbio::cli
