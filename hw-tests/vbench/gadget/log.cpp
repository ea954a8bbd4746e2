// SPDX-License-Identifier: Apache-2.0
#include "log.hpp"

#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace usbio::vbench {

void log(const char* fmt, ...) {
    static std::mutex mu;  // whole lines from concurrent threads
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    std::lock_guard lock(mu);
    std::fprintf(stderr, "[gadget %ld.%06ld] %s\n", long(ts.tv_sec), ts.tv_nsec / 1000, text);
    std::fflush(stderr);
}

}  // namespace usbio::vbench
