// SPDX-License-Identifier: Apache-2.0
#include "results.hpp"

#include <cstdio>
#include <cstring>

namespace usbio::compare {

void result(const std::string& stack, const std::string& key, const std::string& value) {
    std::printf("VBENCH-RESULT compare.%s.%s=%s\n", stack.c_str(), key.c_str(), value.c_str());
    std::fflush(stdout);
}

void fail(const std::string& text) {
    std::printf("VBENCH-FAIL %s\n", text.c_str());
    std::fflush(stdout);
}

std::string errno_text(int e) {
    if (e == 0) return "0";
    const char* name = strerrorname_np(e);
    const std::string id = name ? std::string(name) : "errno " + std::to_string(e);
    return id + " (" + std::strerror(e) + ")";
}

}  // namespace usbio::compare
