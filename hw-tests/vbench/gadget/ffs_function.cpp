// SPDX-License-Identifier: Apache-2.0
#include "ffs_function.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "log.hpp"

namespace usbio::vbench {
namespace {

bool write_all(int fd, const std::vector<uint8_t>& blob, const char* what, std::string& error) {
    const ssize_t n = write(fd, blob.data(), blob.size());
    if (n != ssize_t(blob.size())) {
        error = std::string("writing ") + what + " to ep0: " + (n < 0 ? std::strerror(errno) : "short write") +
                " (the kernel log says why it refused them)";
        return false;
    }
    return true;
}

}  // namespace

std::unique_ptr<FfsFunction> FfsFunction::open(const std::string& instance, const std::string& mount_dir,
                                               const FfsLayout& layout, uint32_t flags, std::string& error) {
    std::unique_ptr<FfsFunction> f(new FfsFunction(mount_dir));
    if (mkdir(mount_dir.c_str(), 0755) != 0 && errno != EEXIST) {
        error = "mkdir " + mount_dir + ": " + std::strerror(errno);
        return nullptr;
    }
    if (mount(instance.c_str(), mount_dir.c_str(), "functionfs", 0, nullptr) != 0) {
        error = "mount functionfs " + instance + " at " + mount_dir + ": " + std::strerror(errno);
        return nullptr;
    }
    f->mounted_ = true;
    const std::string ep0 = mount_dir + "/ep0";
    f->ep0_ = ::open(ep0.c_str(), O_RDWR | O_CLOEXEC);
    if (f->ep0_ < 0) {
        error = "open " + ep0 + ": " + std::strerror(errno);
        return nullptr;
    }
    if (!write_all(f->ep0_, ffs_descriptors_blob(layout, flags), "descriptors", error) ||
        !write_all(f->ep0_, ffs_strings_blob(), "strings", error))
        return nullptr;
    for (std::size_t i = 0; i < layout.endpoints.size(); ++i) {
        FfsEndpointFile file{layout.endpoints[i], -1, mount_dir + "/ep" + std::to_string(i + 1)};
        file.fd = ::open(file.path.c_str(), O_RDWR | O_CLOEXEC);
        if (file.fd < 0) {
            error = "open " + file.path + ": " + std::strerror(errno);
            return nullptr;
        }
        f->eps_.push_back(file);
    }
    return f;
}

FfsFunction::~FfsFunction() {
    for (auto& e : eps_) close(e.fd);
    if (ep0_ >= 0) close(ep0_);
    if (mounted_ && umount(dir_.c_str()) != 0) log("umount %s: %s", dir_.c_str(), std::strerror(errno));
}

}  // namespace usbio::vbench
