// SPDX-License-Identifier: Apache-2.0
#include "configfs_gadget.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "log.hpp"

namespace usbio::vbench {
namespace {

bool write_attr(const std::string& path, const std::string& value, std::string& error) {
    std::ofstream f(path);
    f << value << '\n';
    f.flush();
    if (!f) {
        error = "write '" + value + "' to " + path + ": " + std::strerror(errno);
        return false;
    }
    return true;
}

std::string hex(unsigned v, int digits) {
    char s[16];
    std::snprintf(s, sizeof s, "0x%0*x", digits, v);
    return s;
}

}  // namespace

std::unique_ptr<ConfigfsGadget> ConfigfsGadget::create(const std::string& root, const std::string& name,
                                                       const GadgetIdentity& id, std::string& error) {
    std::unique_ptr<ConfigfsGadget> g(new ConfigfsGadget(root + "/" + name, name));
    if (!g->build(id, error)) return nullptr;  // the destructor removes the partial tree
    return g;
}

bool ConfigfsGadget::build(const GadgetIdentity& id, std::string& error) {
    const auto& dd = id.device_descriptor;
    const auto& cd = id.config_descriptor;
    if (dd.size() < 18 || dd[1] != 0x01 || cd.size() < 9 || cd[1] != 0x02) {
        error = "model descriptors too short or of the wrong type";
        return false;
    }
    auto mk = [&](const std::string& rel) {
        const std::string path = dir_ + rel;
        if (mkdir(path.c_str(), 0755) != 0) {
            error = "mkdir " + path + ": " + std::strerror(errno);
            return false;
        }
        made_dirs_.push_back(path);
        return true;
    };
    auto attr = [&](const std::string& rel, const std::string& value) {
        return write_attr(dir_ + "/" + rel, value, error);
    };
    const std::string function = "functions/ffs." + name_;
    // On a high-speed link the composite layer reports bcdUSB 0x0200
    // whatever is set here; the model's value shows on a full-speed link.
    if (!mk("") || !attr("bcdUSB", hex(unsigned(dd[2] | dd[3] << 8), 4)) || !attr("bDeviceClass", hex(dd[4], 2)) ||
        !attr("bDeviceSubClass", hex(dd[5], 2)) || !attr("bDeviceProtocol", hex(dd[6], 2)) ||
        !attr("bMaxPacketSize0", hex(dd[7], 2)) || !attr("idVendor", hex(unsigned(dd[8] | dd[9] << 8), 4)) ||
        !attr("idProduct", hex(unsigned(dd[10] | dd[11] << 8), 4)) ||
        !attr("bcdDevice", hex(unsigned(dd[12] | dd[13] << 8), 4)) || !mk("/strings/0x409") ||
        !attr("strings/0x409/manufacturer", id.manufacturer) || !attr("strings/0x409/product", id.product) ||
        !attr("strings/0x409/serialnumber", id.serial) || !mk("/configs/c.1") ||
        !attr("configs/c.1/bmAttributes", hex(cd[7], 2)) || !attr("configs/c.1/MaxPower", std::to_string(cd[8] * 2)) ||
        !mk("/" + function))
        return false;
    const std::string target = dir_ + "/" + function;
    const std::string link = dir_ + "/configs/c.1/ffs." + name_;
    if (symlink(target.c_str(), link.c_str()) != 0) {
        error = "symlink " + link + ": " + std::strerror(errno);
        return false;
    }
    linked_ = true;
    return true;
}

bool ConfigfsGadget::bind(const std::string& udc, std::string& error) { return write_attr(dir_ + "/UDC", udc, error); }

void ConfigfsGadget::unbind() {
    std::string error;
    // Writing an empty name to an unbound gadget fails with ENODEV; that is
    // the state wanted, so only other failures matter.
    if (!write_attr(dir_ + "/UDC", "", error) && errno != ENODEV) log("unbind: %s", error.c_str());
}

ConfigfsGadget::~ConfigfsGadget() { remove(); }

void ConfigfsGadget::remove() {
    if (made_dirs_.empty()) return;
    unbind();
    if (linked_) {
        const std::string link = dir_ + "/configs/c.1/ffs." + name_;
        if (unlink(link.c_str()) != 0) log("unlink %s: %s", link.c_str(), std::strerror(errno));
    }
    // configfs removes attribute files with their directory; only the
    // directories made here need rmdir, innermost first.
    for (auto it = made_dirs_.rbegin(); it != made_dirs_.rend(); ++it)
        if (rmdir(it->c_str()) != 0) log("rmdir %s: %s", it->c_str(), std::strerror(errno));
    made_dirs_.clear();
}

}  // namespace usbio::vbench
