// SPDX-License-Identifier: Apache-2.0
// One mounted FunctionFS instance: ep0 with descriptors written, and one open
// file per endpoint. Writing the descriptors is what makes the function
// ready, so a gadget can only be bound to a UDC after open() succeeded.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ffs_descriptors.hpp"

namespace usbio::vbench {

struct FfsEndpointFile {
    FfsEndpoint endpoint;
    int fd = -1;
    std::string path;
};

class FfsFunction {
public:
    // Mounts instance `instance` at `mount_dir` (created if missing), writes
    // the descriptor and string blobs and opens the endpoint files.
    static std::unique_ptr<FfsFunction> open(const std::string& instance, const std::string& mount_dir,
                                             const FfsLayout& layout, uint32_t flags, std::string& error);
    ~FfsFunction();  // closes everything and unmounts
    FfsFunction(const FfsFunction&) = delete;
    FfsFunction& operator=(const FfsFunction&) = delete;

    int ep0() const { return ep0_; }
    const std::vector<FfsEndpointFile>& endpoints() const { return eps_; }

private:
    explicit FfsFunction(std::string mount_dir) : dir_(std::move(mount_dir)) {}

    const std::string dir_;
    bool mounted_ = false;
    int ep0_ = -1;
    std::vector<FfsEndpointFile> eps_;
};

}  // namespace usbio::vbench
