// SPDX-License-Identifier: Apache-2.0
// Takes the adapter off the bus and puts it back, the way the bench is set
// up to: a command (the virtual bench unbinds its gadget), a switchable hub
// port (uhubctl), or deauthorising the device in sysfs.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "bench_config.hpp"
#include "usbio/usbio.hpp"

namespace usbio::hw {

class Unplugger {
public:
    virtual ~Unplugger() = default;
    // "command 'echo ...'", "uhubctl -l 1-1 -p 2", "sysfs /sys/bus/usb/devices/1-2/authorized"
    virtual std::string describe() const = 0;
    // Both return once the action is done (the command has exited, the
    // sysfs write has returned). Callers time from just before the call.
    virtual Result<void> unplug() = 0;
    virtual Result<void> replug() = 0;
};

// The unplugger the configuration asks for, for the adapter at USB port
// path `path`. nullptr with `why` when there is none (method 'none', not
// root for sysfs, ...): unplug scenarios then skip, saying why.
std::unique_ptr<Unplugger> make_unplugger(const BenchConfig& config, const std::string& path, std::string& why);

// Puts the adapter back on scope exit if it is still unplugged, so a failed
// scenario leaves the bench as it found it.
class PlugGuard {
public:
    explicit PlugGuard(Unplugger& u) : u_(u) {}
    ~PlugGuard();
    PlugGuard(const PlugGuard&) = delete;
    PlugGuard& operator=(const PlugGuard&) = delete;

    Result<void> unplug();
    Result<void> replug();
    bool unplugged() const { return unplugged_; }

private:
    Unplugger& u_;
    bool unplugged_ = false;
};

}  // namespace usbio::hw
