// SPDX-License-Identifier: Apache-2.0
// A USB gadget in configfs with one configuration holding one FunctionFS
// function. Its device-level identity (IDs, class, strings, power) is taken
// from the device model's own descriptors, so the host sees what the model
// says, not what a script guessed.
//
// Plugging in is binding the gadget to a UDC, unplugging is unbinding; both
// are plain writes to the gadget's UDC file, which the guest scripts also do
// directly to unplug and replug at will.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "usbio/usb/transport.hpp"

namespace usbio::vbench {

struct GadgetIdentity {
    std::vector<uint8_t> device_descriptor;  // 18 bytes, from the model
    std::vector<uint8_t> config_descriptor;  // for bmAttributes and bMaxPower
    std::string manufacturer, product, serial;
};

class ConfigfsGadget {
public:
    // Creates <root>/<name> with function ffs.<name> linked into c.1.
    // Returns null (with `error`) on failure, having removed what it made.
    static std::unique_ptr<ConfigfsGadget> create(const std::string& root, const std::string& name,
                                                  const GadgetIdentity& id, std::string& error);
    ~ConfigfsGadget();  // unbinds and removes everything it created
    ConfigfsGadget(const ConfigfsGadget&) = delete;
    ConfigfsGadget& operator=(const ConfigfsGadget&) = delete;

    // The FunctionFS instance name to mount (the `dev_name` of mount -t functionfs).
    const std::string& function_instance() const { return name_; }
    bool bind(const std::string& udc, std::string& error);
    void unbind();

private:
    ConfigfsGadget(std::string dir, std::string name) : dir_(std::move(dir)), name_(std::move(name)) {}
    bool build(const GadgetIdentity& id, std::string& error);
    void remove();

    const std::string dir_;
    const std::string name_;
    std::vector<std::string> made_dirs_;  // in creation order
    bool linked_ = false;
};

}  // namespace usbio::vbench
