// SPDX-License-Identifier: Apache-2.0
// --sim-state FILE: the simulated adapters' hardware state kept between
// commands. The file is locked (flock) for the whole command, read before
// the simulated adapters attach and replaced atomically after the command.
//
// The file is the adapters' saved states (sim::Adapter::save_state) one
// after the other, in --sim order; each starts with its "usbio-sim-state
// VERSION" line. A missing or empty file is new hardware.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

namespace usbio::cli {

class SimStateFile {
public:
    // Opens and locks `path`, creating it empty when missing. While another
    // command holds the lock, says so once on `err` and waits, at most
    // `wait`; then fails naming the file.
    SimStateFile(std::string path, std::chrono::milliseconds wait, std::ostream& err);
    ~SimStateFile();  // unlocks
    SimStateFile(const SimStateFile&) = delete;
    SimStateFile& operator=(const SimStateFile&) = delete;

    const std::string& path() const noexcept { return path_; }

    // The saved state of each of `count` adapters, in file order; all empty
    // for a new file. A text keeps its lines' numbers in the file (earlier
    // lines blank), so a complaint about it names the file's line. Failure
    // naming the file when it holds another number of adapters.
    std::vector<std::string> states(std::size_t count) const;
    // Replaces the file's contents: a temporary file beside it, renamed over
    // it.
    void save(const std::vector<std::string>& states) const;

private:
    std::string path_;
    int fd_ = -1;
    std::string text_;  // as read after locking
};

// How long a command waits for the file's lock: USBIO_SIM_STATE_WAIT
// (seconds) or 10 s.
std::chrono::milliseconds sim_state_wait();

}  // namespace usbio::cli
