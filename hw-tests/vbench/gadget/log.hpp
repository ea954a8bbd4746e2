// SPDX-License-Identifier: Apache-2.0
// Timestamped, line-at-a-time logging for the gadget. Lines carry the guest's
// CLOCK_MONOTONIC time so they can be lined up with dmesg and the test
// script's own timestamps.
#pragma once

namespace usbio::vbench {

void log(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace usbio::vbench
