// SPDX-License-Identifier: Apache-2.0
#include "traffic_counters.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace usbio::vbench {

namespace {

constexpr std::size_t kWords = 4;
constexpr std::size_t kBytes = kWords * sizeof(uint64_t);

std::string why(const std::string& what, const std::string& path) {
    return what + " " + path + ": " + std::strerror(errno);
}

}  // namespace

std::unique_ptr<TrafficCounters> TrafficCounters::create(const std::string& path, std::string& error) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = why("cannot create", path);
        return nullptr;
    }
    void* map = MAP_FAILED;
    if (::ftruncate(fd, kBytes) == 0) map = ::mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) error = why("cannot map", path);
    ::close(fd);
    if (map == MAP_FAILED) return nullptr;
    return std::unique_ptr<TrafficCounters>(new TrafficCounters(static_cast<uint64_t*>(map)));
}

TrafficCounters::~TrafficCounters() { ::munmap(words_, kBytes); }

void TrafficCounters::count(Kind k) noexcept {
    std::atomic_ref<uint64_t>(words_[static_cast<std::size_t>(k)]).fetch_add(1, std::memory_order_relaxed);
}

bool TrafficCounters::read(const std::string& path, TrafficCounts& out, std::string& error) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = why("cannot open", path);
        return false;
    }
    uint64_t w[kWords] = {};
    const ssize_t n = ::pread(fd, w, kBytes, 0);
    if (n != static_cast<ssize_t>(kBytes)) error = n < 0 ? why("cannot read", path) : "short read of " + path;
    ::close(fd);
    if (n != static_cast<ssize_t>(kBytes)) return false;
    out = {w[0], w[1], w[2], w[3]};
    return true;
}

}  // namespace usbio::vbench
