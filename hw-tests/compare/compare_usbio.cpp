// SPDX-License-Identifier: Apache-2.0
// compare_usbio: the comparison's runs (see run.hpp) against usbio on
// libusb.   compare_usbio MODE ... --serial SERIAL
#include "run.hpp"
#include "usbio_stack.hpp"

int main(int argc, char** argv) {
    using namespace usbio::compare;
    return run_main(argc, argv, "usbio", {"serial"}, [](const Args& a, std::string& error) {
        if (!a.has("serial")) {
            error = "--serial is required";
            return std::unique_ptr<Stack>();
        }
        return open_usbio_stack(a.get("serial"), error);
    });
}
