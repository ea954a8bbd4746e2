// SPDX-License-Identifier: Apache-2.0
#include "in_faults.hpp"

#include <utility>

namespace usbio::vbench {

void InFaults::add_strays(const std::vector<uint8_t>& report, unsigned count) {
    std::lock_guard lock(mu_);
    strays_.insert(strays_.end(), count, report);
}

void InFaults::delay_next(std::chrono::milliseconds delay, std::optional<uint8_t> id) {
    std::lock_guard lock(mu_);
    delay_ = delay;
    delayed_id_ = id;
}

std::optional<std::vector<uint8_t>> InFaults::take_stray(bool& last) {
    std::lock_guard lock(mu_);
    if (strays_.empty()) return std::nullopt;
    std::vector<uint8_t> r = std::move(strays_.front());
    strays_.pop_front();
    last = strays_.empty();
    return r;
}

std::chrono::milliseconds InFaults::take_delay(const std::vector<uint8_t>& report) {
    std::lock_guard lock(mu_);
    if (delayed_id_ && (report.empty() || report[0] != *delayed_id_)) return std::chrono::milliseconds(0);
    return std::exchange(delay_, std::chrono::milliseconds(0));
}

}  // namespace usbio::vbench
