// SPDX-License-Identifier: Apache-2.0
// usbio_ffs_gadget: serves a usbio chip model (the same code the in-process
// simulation runs) as a real USB device through configfs and FunctionFS, so
// a real USB host stack (on the virtual bench: the same kernel, through
// dummy_hcd) and its drivers can be pointed at it.
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "bench_device.hpp"
#include "commands.hpp"
#include "configfs_gadget.hpp"
#include "control_channel.hpp"
#include "endpoint_pumps.hpp"
#include "ep0_server.hpp"
#include "ffs_descriptors.hpp"
#include "ffs_function.hpp"
#include "log.hpp"
#include "options.hpp"

namespace {

using namespace usbio::vbench;

int g_stop_fd = -1;

void on_stop_signal(int) {
    const uint64_t one = 1;
    // Async-signal-safe; the ep0 loop polls this descriptor.
    [[maybe_unused]] ssize_t n = write(g_stop_fd, &one, sizeof one);
}

void on_wake_signal(int) {}

bool install_signals() {
    g_stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (g_stop_fd < 0) return false;
    struct sigaction sa {};
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop_signal;
    if (sigaction(SIGTERM, &sa, nullptr) != 0 || sigaction(SIGINT, &sa, nullptr) != 0) return false;
    // No SA_RESTART: the point of this signal is to make a blocked
    // FunctionFS call return EINTR.
    sa.sa_handler = on_wake_signal;
    return sigaction(EndpointPumps::kWakeSignal, &sa, nullptr) == 0 && signal(SIGPIPE, SIG_IGN) != SIG_ERR;
}

int serve(const GadgetOptions& o) {
    std::string error;
    auto device = BenchDevice::make(o.bench, error);
    if (!device) {
        log("%s", error.c_str());
        return 2;
    }
    const auto dd = device->device_descriptor();
    const bool high_speed = dd.size() >= 4 && (dd[2] | dd[3] << 8) >= 0x0200;
    const auto layout = ffs_layout(device->config_descriptor(), high_speed, error);
    if (!layout) {
        log("model configuration descriptor: %s", error.c_str());
        return 1;
    }
    const auto id = device->identity();
    auto gadget = ConfigfsGadget::create(
        o.configfs, o.name, GadgetIdentity{dd, device->config_descriptor(), id.manufacturer, id.product, id.serial},
        error);
    if (!gadget) {
        log("configfs: %s", error.c_str());
        return 1;
    }
    auto function = FfsFunction::open(gadget->function_instance(), o.mount_dir, *layout, device->ffs_flags(), error);
    if (!function) {
        log("functionfs: %s", error.c_str());
        return 1;
    }
    std::unique_ptr<ControlChannel> control;
    if (!o.control.empty() && !(control = ControlChannel::open(o.control, error))) {
        log("control: %s", error.c_str());
        return 1;
    }
    int rc = 0;
    {
        EndpointPumps pumps(*device, function->endpoints(), o.verbose);
        device->set_in_ready_notifier([&pumps] { pumps.in_ready(); });
        pumps.start();
        log("serving %s %04x:%04x serial '%s', %zu endpoints, %s-speed model", o.bench.model.c_str(), id.vid, id.pid,
            id.serial.c_str(), layout->endpoints.size(), high_speed ? "high" : "full");
        std::printf("USBIO-GADGET READY\n");
        std::fflush(stdout);
        if (!o.udc.empty() && !gadget->bind(o.udc, error)) {
            log("bind: %s", error.c_str());
            rc = 1;
        } else if (!Ep0Server(function->ep0(), *device, pumps)
                        .run(g_stop_fd, control.get(), [&](std::string_view line) {
                            const std::string result = run_command(line, *device, pumps);
                            log("control: %.*s -> %s", int(line.size()), line.data(), result.c_str());
                        })) {
            rc = 1;
        }
        // Unplug first, so transfers blocked in the kernel end with ESHUTDOWN.
        gadget->unbind();
        device->set_in_ready_notifier(nullptr);
        if (!pumps.stop(std::chrono::seconds(2))) {
            log("an endpoint thread did not stop; exiting without cleanup");
            std::fflush(stderr);
            _exit(1);
        }
    }
    function.reset();
    gadget.reset();
    log("stopped");
    return rc;
}

}  // namespace

int main(int argc, char** argv) {
    int exit_code = 0;
    const auto options = parse_options(argc, argv, exit_code);
    if (!options) return exit_code;
    if (!install_signals()) {
        std::perror("usbio_ffs_gadget: signals");
        return 1;
    }
    return serve(*options);
}
