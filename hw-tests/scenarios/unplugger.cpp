// SPDX-License-Identifier: Apache-2.0
#include "unplugger.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "shell_command.hpp"

namespace usbio::hw {

namespace {

constexpr std::chrono::seconds kCommandLimit{30};

class CommandUnplugger final : public Unplugger {
public:
    CommandUnplugger(std::string unplug, std::string replug, std::string label)
        : unplug_(std::move(unplug)), replug_(std::move(replug)), label_(std::move(label)) {}

    std::string describe() const override { return label_; }
    Result<void> unplug() override { return run(unplug_, "unplug"); }
    Result<void> replug() override { return run(replug_, "re-plug"); }

private:
    Result<void> run(const std::string& cmd, const char* what) {
        CommandResult r = run_shell(cmd, kCommandLimit);
        if (r.ok()) return {};
        return make_error(EIO, std::string(what) + " command '" + cmd + "' failed: " + r.describe());
    }

    std::string unplug_, replug_, label_;
};

class SysfsUnplugger final : public Unplugger {
public:
    explicit SysfsUnplugger(std::string file) : file_(std::move(file)) {}

    std::string describe() const override { return "sysfs " + file_; }
    Result<void> unplug() override { return write_value("0"); }
    Result<void> replug() override { return write_value("1"); }

private:
    Result<void> write_value(const char* v) {
        const int fd = open(file_.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) return make_error(errno, "open " + file_ + ": " + std::strerror(errno));
        const ssize_t n = write(fd, v, 1);
        const int e = errno;
        close(fd);
        if (n != 1) return make_error(e, std::string("write '") + v + "' to " + file_ + ": " + std::strerror(e));
        return {};
    }

    std::string file_;
};

std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) {
        if (c == '\'')
            q += "'\\''";
        else
            q += c;
    }
    return q + "'";
}

}  // namespace

std::unique_ptr<Unplugger> make_unplugger(const BenchConfig& c, const std::string& path, std::string& why) {
    switch (c.unplug) {
    case UnplugMethod::command:
        return std::make_unique<CommandUnplugger>(c.unplug_cmd, c.replug_cmd,
                                                  "command '" + c.unplug_cmd + "' / '" + c.replug_cmd + "'");
    case UnplugMethod::uhubctl: {
        const std::string base =
            shell_quote(c.uhubctl) + " -l " + shell_quote(c.hub_location) + " -p " + shell_quote(c.hub_port);
        // -r: uhubctl's repeat count for hubs that ignore the first request.
        return std::make_unique<CommandUnplugger>(base + " -a off -r 3", base + " -a on",
                                                  "uhubctl -l " + c.hub_location + " -p " + c.hub_port);
    }
    case UnplugMethod::sysfs: {
        if (path.empty() || path.find('/') != std::string::npos) {
            why = "the adapter has no USB port path to deauthorise";
            return nullptr;
        }
        const std::string file = "/sys/bus/usb/devices/" + path + "/authorized";
        if (access(file.c_str(), W_OK) != 0) {
            why = "cannot write " + file + " (" + std::strerror(errno) +
                  "); run as root, or set USBIO_HW_UNPLUG_CMD/USBIO_HW_REPLUG_CMD or USBIO_HW_UHUBCTL_LOCATION/PORT";
            return nullptr;
        }
        return std::make_unique<SysfsUnplugger>(file);
    }
    case UnplugMethod::none: why = "USBIO_HW_UNPLUG=none"; return nullptr;
    case UnplugMethod::automatic: break;
    }
    why = "no unplug method";
    return nullptr;
}

PlugGuard::~PlugGuard() {
    if (!unplugged_) return;
    auto r = u_.replug();
    if (!r) std::fprintf(stderr, "usbio_hw: could not put the adapter back: %s\n", r.error().message.c_str());
}

Result<void> PlugGuard::unplug() {
    // Marked first: a failed command may still have taken the adapter away.
    unplugged_ = true;
    return u_.unplug();
}

Result<void> PlugGuard::replug() {
    auto r = u_.replug();
    if (r) unplugged_ = false;
    return r;
}

}  // namespace usbio::hw
