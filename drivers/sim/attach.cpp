// SPDX-License-Identifier: Apache-2.0
// usbio::sim::attach: simulated adapters by chip name.
#include <atomic>
#include <cctype>
#include <cstdio>

#include "sim/adapter.hpp"
#include "table/driver_table.hpp"
#include "usbio/sim.hpp"

namespace usbio::sim {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Simulated ports are numbered in the process, like USB ports on a host:
// adapter N sits on "sim:N" and its default serial is SIM000(N+1).
unsigned next_port() {
    static std::atomic<unsigned> next{0};
    return next.fetch_add(1, std::memory_order_relaxed);
}

std::string default_serial(unsigned port) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "SIM%04u", (port + 1) % 10000);
    return buf;
}

std::string supported_list() {
    std::string out;
    for (const auto& c : supported_chips()) out += (out.empty() ? "" : ", ") + c;
    return out;
}

}  // namespace

std::vector<std::string> supported_chips() {
    std::vector<std::string> out;
    for (const auto& c : drivers::sim_chips()) out.emplace_back(c.product->chip);
    return out;
}

Result<std::shared_ptr<Adapter>> attach(Context& ctx, std::string_view chip, Options options) {
    const std::string name = lower(chip);
    const drivers::SimChip found = drivers::find_sim_chip(name);
    if (!found.entry)
        return make_error(EINVAL,
                          "unknown simulated chip '" + std::string(chip) + "' (supported: " + supported_list() + ")");
    const unsigned port = next_port();
    if (options.serial.empty()) options.serial = default_serial(port);
    auto made = SimAdapter::create(ctx, *found.entry, options, "sim:" + std::to_string(port), found.product);
    if (!made) return made.error();
    std::shared_ptr<SimAdapter> adapter = std::move(made).value();
    if (!options.state.empty()) {
        if (auto loaded = adapter->load_state(options.state); !loaded) return loaded.error();
    }
    auto plugged = adapter->plug();
    if (!plugged) return plugged.error();
    return std::shared_ptr<Adapter>(std::move(adapter));
}

}  // namespace usbio::sim
