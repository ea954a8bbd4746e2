// SPDX-License-Identifier: Apache-2.0
// Faults a gadget puts into its IN endpoint's stream, around whatever the
// chip model sends: reports the model never made (a flood of stray ones)
// and model reports held back before they go (late ones). Set from the
// control channel, used by the IN endpoint's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace usbio::vbench {

class InFaults {
public:
    // Queues `count` copies of `report`, sent before the model's next ones.
    void add_strays(const std::vector<uint8_t>& report, unsigned count);
    // The model's next report (its next one with report ID `id`, if given)
    // waits `delay` before it goes.
    void delay_next(std::chrono::milliseconds delay, std::optional<uint8_t> id);

    // For the IN thread: the next stray report, if any, and whether it was
    // the last one queued.
    std::optional<std::vector<uint8_t>> take_stray(bool& last);
    // How long the model report about to go waits (zero for none).
    std::chrono::milliseconds take_delay(const std::vector<uint8_t>& report);

private:
    std::mutex mu_;
    std::deque<std::vector<uint8_t>> strays_;
    std::chrono::milliseconds delay_{0};  // zero: no report is due late
    std::optional<uint8_t> delayed_id_;
};

}  // namespace usbio::vbench
