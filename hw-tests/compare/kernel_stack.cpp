// SPDX-License-Identifier: Apache-2.0
#include "kernel_stack.hpp"

#include <fcntl.h>
#include <gpiod.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace usbio::compare {

namespace {

// hid-cp2112 refuses longer reads (cp2112_read_req: 1..512 bytes); the
// adapter has no quirks table that would tell i2c-dev users so.
constexpr std::size_t kKernelMaxRead = 512;

class KernelStack final : public Stack {
public:
    ~KernelStack() override {
        if (out_) gpiod_line_release(out_);
        if (in_) gpiod_line_release(in_);
        if (chip_) gpiod_chip_close(chip_);
        if (fd_ >= 0) ::close(fd_);
    }

    bool open(const std::string& i2c_dev, const std::string& gpiochip, std::string& error) {
        i2c_path_ = i2c_dev;
        gpio_path_ = gpiochip;
        fd_ = ::open(i2c_dev.c_str(), O_RDWR | O_CLOEXEC);
        if (fd_ < 0) return fail_open(error, "opening " + i2c_dev);
        chip_ = gpiod_chip_open(gpiochip.c_str());
        if (!chip_) return fail_open(error, "opening " + gpiochip);
        out_ = gpiod_chip_get_line(chip_, kOutputLine);
        in_ = gpiod_chip_get_line(chip_, kInputLine);
        if (!out_ || !in_) return fail_open(error, "getting lines of " + gpiochip);
        if (gpiod_line_request_output(out_, "compare", 0) < 0) {
            out_ = nullptr;
            return fail_open(error, "requesting line 0 as output");
        }
        if (gpiod_line_request_input(in_, "compare") < 0) {
            in_ = nullptr;
            return fail_open(error, "requesting line 1 as input");
        }
        return true;
    }

    const char* key() const override { return "kernel"; }

    std::string describe() const override {
        utsname u{};
        ::uname(&u);
        std::string adapter;
        const std::string n = i2c_path_.substr(i2c_path_.rfind('-') + 1);
        std::getline(std::ifstream(std::string("/sys/class/i2c-adapter/i2c-") + n + "/name"), adapter);
        return std::string("hid-cp2112 (Linux ") + u.release + "): " + i2c_path_ + " [" + adapter + "] I2C_RDWR; " +
               gpio_path_ + " [" + gpiod_chip_label(chip_) + "] libgpiod " + gpiod_version_string();
    }

    int gpio_set(int value) override {
        if (gpiod_line_set_value(out_, value) < 0) return note("gpiod_line_set_value");
        return 0;
    }

    int gpio_get(int& value) override {
        const int v = gpiod_line_get_value(in_);
        if (v < 0) return note("gpiod_line_get_value");
        value = v;
        return 0;
    }

    int i2c_write(uint8_t addr, std::span<const uint8_t> data) override {
        i2c_msg m{};
        m.addr = addr;
        m.len = static_cast<uint16_t>(data.size());
        m.buf = const_cast<uint8_t*>(data.data());  // a write: the kernel only reads it
        return rdwr(&m, 1);
    }

    int i2c_write_read(uint8_t addr, std::span<const uint8_t> out, std::span<uint8_t> in) override {
        i2c_msg m[2]{};
        m[0].addr = addr;
        m[0].len = static_cast<uint16_t>(out.size());
        m[0].buf = const_cast<uint8_t*>(out.data());
        m[1].addr = addr;
        m[1].flags = I2C_M_RD;
        m[1].len = static_cast<uint16_t>(in.size());
        m[1].buf = in.data();
        return rdwr(m, 2);
    }

    std::size_t max_read() const override { return kKernelMaxRead; }
    std::string last_error() const override { return error_; }

    std::vector<std::pair<std::string, std::string>> after_unplug() override {
        return {{"devnode", ::access(i2c_path_.c_str(), F_OK) == 0 ? i2c_path_ + " present" : i2c_path_ + " gone"}};
    }

private:
    int rdwr(i2c_msg* msgs, unsigned n) {
        i2c_rdwr_ioctl_data d{msgs, n};
        if (::ioctl(fd_, I2C_RDWR, &d) < 0) return note("I2C_RDWR");
        return 0;
    }

    int note(const char* what) {
        const int e = errno;
        error_ = std::string(what) + ": " + std::strerror(e);
        return e;
    }

    bool fail_open(std::string& error, const std::string& what) {
        error = what + ": " + std::strerror(errno);
        return false;
    }

    std::string i2c_path_;
    std::string gpio_path_;
    int fd_ = -1;
    gpiod_chip* chip_ = nullptr;
    gpiod_line* out_ = nullptr;
    gpiod_line* in_ = nullptr;
    std::string error_;
};

}  // namespace

std::unique_ptr<Stack> open_kernel_stack(const std::string& i2c_dev, const std::string& gpiochip, std::string& error) {
    auto s = std::make_unique<KernelStack>();
    if (!s->open(i2c_dev, gpiochip, error)) return nullptr;
    return s;
}

}  // namespace usbio::compare
