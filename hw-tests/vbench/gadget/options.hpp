// SPDX-License-Identifier: Apache-2.0
// Command line of usbio_ffs_gadget.
#pragma once

#include <optional>
#include <string>

#include "bench_device.hpp"

namespace usbio::vbench {

struct GadgetOptions {
    BenchOptions bench;
    std::string name = "usbio";  // gadget and FunctionFS instance
    std::string configfs = "/sys/kernel/config/usb_gadget";
    std::string mount_dir;  // default /dev/ffs-<name>
    std::string udc;        // bind at start when set
    std::string control;    // FIFO for commands, if set
    bool verbose = false;   // log every packet
};

// nullopt after printing usage or an error to stderr; `exit_code` says which.
std::optional<GadgetOptions> parse_options(int argc, char** argv, int& exit_code);

}  // namespace usbio::vbench
