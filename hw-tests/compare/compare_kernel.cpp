// SPDX-License-Identifier: Apache-2.0
// compare_kernel: the comparison's runs (see run.hpp) against the kernel's
// hid-cp2112.   compare_kernel MODE ... --i2c /dev/i2c-N --gpiochip /dev/gpiochipN
#include "kernel_stack.hpp"
#include "run.hpp"

int main(int argc, char** argv) {
    using namespace usbio::compare;
    return run_main(argc, argv, "kernel", {"i2c", "gpiochip"}, [](const Args& a, std::string& error) {
        if (!a.has("i2c") || !a.has("gpiochip")) {
            error = "--i2c and --gpiochip are required";
            return std::unique_ptr<Stack>();
        }
        return open_kernel_stack(a.get("i2c"), a.get("gpiochip"), error);
    });
}
