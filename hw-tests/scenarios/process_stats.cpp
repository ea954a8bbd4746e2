// SPDX-License-Identifier: Apache-2.0
#include "process_stats.hpp"

#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

namespace usbio::hw {

namespace {

long status_field(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::size_t n = std::strlen(key);
    while (std::getline(in, line))
        if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':') return std::stol(line.substr(n + 1));
    return -1;
}

}  // namespace

long rss_kb() { return status_field("VmRSS"); }

long thread_count() { return status_field("Threads"); }

long open_fds() {
    DIR* d = opendir("/proc/self/fd");
    if (!d) return -1;
    long n = 0;
    while (dirent* e = readdir(d))
        if (e->d_name[0] != '.') ++n;
    closedir(d);
    return n - 1;  // the directory stream's own descriptor
}

pid_t current_tid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

bool thread_sleeping(pid_t tid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/stat", static_cast<int>(tid));
    std::ifstream in(path);
    std::string stat;
    if (!std::getline(in, stat)) return false;
    // "tid (comm) S ...": the comm may hold spaces and parentheses.
    const auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) return false;
    const char state = stat[close + 2];
    return state == 'S' || state == 'D';
}

}  // namespace usbio::hw
