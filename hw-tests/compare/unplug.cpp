// SPDX-License-Identifier: Apache-2.0
#include "unplug.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace usbio::compare {

namespace {

constexpr std::chrono::seconds kHeldLimit{5};
constexpr std::chrono::milliseconds kLogPoll{1};

int write_file(const std::string& path, const std::string& text) {
    // O_NONBLOCK: a FIFO without a reader fails (ENXIO) instead of waiting.
    const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return errno;
    const ssize_t n = ::write(fd, text.data(), text.size());
    const int e = n < 0 ? errno : (static_cast<std::size_t>(n) == text.size() ? 0 : EIO);
    ::close(fd);
    return e;
}

std::size_t file_size(const std::string& path) {
    std::ifstream f(path, std::ios::binary | std::ios::ate);
    return f ? static_cast<std::size_t>(f.tellg()) : 0;
}

bool held_since(const std::string& path, std::size_t offset) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    f.seekg(static_cast<std::streamoff>(offset));
    std::stringstream rest;
    rest << f.rdbuf();
    return rest.str().find(" held") != std::string::npos;
}

}  // namespace

int hold_out(const UnplugPaths& p, UnplugTimes& t, std::string& error) {
    const std::size_t offset = file_size(p.gadget_log);
    t.hold_sent = Clock::now();
    if (int e = write_file(p.control, "hold-out 1\n")) {
        error = "writing hold-out to " + p.control + ": " + std::strerror(e);
        return e;
    }
    while (!held_since(p.gadget_log, offset)) {
        if (Clock::now() - t.hold_sent > kHeldLimit) {
            error = "the gadget did not hold an OUT packet within 5 s";
            return ETIMEDOUT;
        }
        std::this_thread::sleep_for(kLogPoll);
    }
    t.held_seen = Clock::now();
    return 0;
}

int unbind(const UnplugPaths& p, UnplugTimes& t, std::string& error) {
    t.unbind_start = Clock::now();
    const int e = write_file(p.udc, "\n");
    t.unbind_end = Clock::now();
    if (e) error = "unbinding through " + p.udc + ": " + std::strerror(e);
    return e;
}

void release_hold(const UnplugPaths& p) { (void)write_file(p.control, "hold-out 0\n"); }

}  // namespace usbio::compare
