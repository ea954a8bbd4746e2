// SPDX-License-Identifier: Apache-2.0
#include "usbio_stack.hpp"

#include <dirent.h>
#include <libusb.h>

#include <chrono>
#include <fstream>

#include "results.hpp"
#include "timing.hpp"
#include "usbio/usbio.hpp"

namespace usbio::compare {

namespace {

constexpr std::chrono::seconds kFindLimit{10};
constexpr std::chrono::seconds kGoneLimit{5};

const char* watch_name(usb::Watch w) {
    switch (w) {
    case usb::Watch::none: return "none";
    case usb::Watch::hotplug: return "hotplug";
    case usb::Watch::polling: return "polling";
    }
    return "?";
}

std::string libusb_text() {
    const libusb_version* v = libusb_get_version();
    return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->micro);
}

// How many i2c adapters the kernel's hid-cp2112 has registered now.
int kernel_cp2112_adapters() {
    int n = 0;
    DIR* d = ::opendir("/sys/class/i2c-adapter");
    if (!d) return 0;
    while (dirent* e = ::readdir(d)) {
        std::string name;
        std::getline(std::ifstream(std::string("/sys/class/i2c-adapter/") + e->d_name + "/name"), name);
        if (name.find("CP2112") != std::string::npos) ++n;
    }
    ::closedir(d);
    return n;
}

class UsbioStack final : public Stack {
public:
    bool open(const std::string& serial, std::string& error) {
        auto host = usb::attach(ctx_, usb::Options{});
        if (!host) {
            error = host.error().message;
            return false;
        }
        host_ = std::move(host).value();
        const auto until = Clock::now() + kFindLimit;
        for (;;) {
            auto dev = ctx_.find(serial);
            if (dev) {
                dev_ = *dev;
                break;
            }
            if (Clock::now() >= until) {
                error = dev.error().message;
                for (const auto& u : host_->unbound()) error += "; unbound: " + u.reason.message;
                return false;
            }
            (void)host_->settle(std::chrono::milliseconds(500));
        }
        auto bus = dev_.i2c_bus(0);
        if (!bus) {
            error = bus.error().message;
            return false;
        }
        bus_ = *bus;
        auto chip = dev_.gpio_chip(0);
        if (!chip) {
            error = chip.error().message;
            return false;
        }
        RequestConfig rc;
        rc.consumer = "compare";
        LineConfig out;
        out.offset = kOutputLine;
        out.settings.direction = Direction::output;
        LineConfig in;
        in.offset = kInputLine;
        rc.lines = {out, in};
        auto req = chip->request_lines(rc);
        if (!req) {
            error = req.error().message;
            return false;
        }
        lines_ = *req;
        kernel_adapters_while_held_ = kernel_cp2112_adapters();
        return true;
    }

    const char* key() const override { return "usbio"; }

    std::string describe() const override {
        const I2cBusInfo bi = bus_.info();
        return "usbio " + dev_.info().display_name() + " via libusb " + libusb_text() +
               " (watch: " + watch_name(host_->watch()) + "); i2c max write " + std::to_string(bi.max_write) +
               ", read " + std::to_string(bi.max_read) + ", write-before-read " +
               std::to_string(bi.max_write_before_read) +
               "; kernel CP2112 i2c adapters while usbio holds the interface: " +
               std::to_string(kernel_adapters_while_held_);
    }

    int gpio_set(int value) override { return note(lines_.set_value(kOutputLine, value)); }

    int gpio_get(int& value) override {
        auto r = lines_.get_value(kInputLine);
        if (!r) return note(r);
        value = *r;
        return 0;
    }

    int i2c_write(uint8_t addr, std::span<const uint8_t> data) override { return note(bus_.write(addr, data)); }

    int i2c_write_read(uint8_t addr, std::span<const uint8_t> out, std::span<uint8_t> in) override {
        return note(bus_.write_read(addr, out, in));
    }

    std::size_t max_read() const override { return bus_.info().max_read; }
    std::string last_error() const override { return error_; }

    std::vector<std::pair<std::string, std::string>> after_unplug() override {
        const auto t0 = Clock::now();
        const bool gone = dev_.wait_gone(kGoneLimit);
        char ms[32];
        std::snprintf(ms, sizeof ms, "%.1f", ms_between(t0, Clock::now()));
        return {{"device_state", std::string(to_string(dev_.state())) + (gone ? " (removal complete " : " (waited ") +
                                     ms + " ms after the failed calls)"}};
    }

private:
    template <class R>
    int note(const R& r) {
        if (r) return 0;
        error_ = r.error().message;
        return r.code().value();
    }

    // Declared first: destroyed last, after the host and every handle.
    Context ctx_;
    std::shared_ptr<usb::Host> host_;
    Device dev_;
    I2cBus bus_;
    LineRequest lines_;
    int kernel_adapters_while_held_ = -1;
    std::string error_;
};

}  // namespace

std::unique_ptr<Stack> open_usbio_stack(const std::string& serial, std::string& error) {
    auto s = std::make_unique<UsbioStack>();
    if (!s->open(serial, error)) return nullptr;
    return s;
}

}  // namespace usbio::compare
