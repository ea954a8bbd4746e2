// SPDX-License-Identifier: Apache-2.0
#include "control_channel.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "log.hpp"

namespace usbio::vbench {

std::unique_ptr<ControlChannel> ControlChannel::open(const std::string& path, std::string& error) {
    unlink(path.c_str());
    if (mkfifo(path.c_str(), 0600) != 0) {
        error = "mkfifo " + path + ": " + std::strerror(errno);
        return nullptr;
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error = "open " + path + ": " + std::strerror(errno);
        unlink(path.c_str());
        return nullptr;
    }
    return std::unique_ptr<ControlChannel>(new ControlChannel(path, fd));
}

ControlChannel::~ControlChannel() {
    close(fd_);
    unlink(path_.c_str());
}

void ControlChannel::drain(const std::function<void(std::string_view)>& handle) {
    char buf[512];
    for (;;) {
        const ssize_t n = read(fd_, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0 && errno != EAGAIN && errno != EINTR) log("control: read: %s", std::strerror(errno));
            return;
        }
        for (ssize_t i = 0; i < n; ++i) {
            if (buf[i] == '\n') {
                if (!discarding_)
                    handle(partial_);
                else
                    log("control: a line longer than %zu bytes was ignored", kMaxLine);
                partial_.clear();
                discarding_ = false;
            } else if (partial_.size() < kMaxLine) {
                partial_ += buf[i];
            } else {
                discarding_ = true;
            }
        }
    }
}

}  // namespace usbio::vbench
