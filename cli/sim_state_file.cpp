// SPDX-License-Identifier: Apache-2.0
#include "sim_state_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <thread>

#include "app.hpp"

namespace usbio::cli {

namespace {

// The first word of each adapter's state (the format's version line).
constexpr std::string_view kStateStart = "usbio-sim-state";
// How often a command waiting for the lock tries again.
constexpr std::chrono::milliseconds kLockRetry{10};

std::error_code errno_code(int e) { return std::error_code(e, std::generic_category()); }

Failure file_error(const std::string& path, const std::string& what, int e) {
    return Failure(path + ": " + what + ": " + std::strerror(e), errno_code(e));
}

std::string_view first_word(std::string_view line) {
    std::size_t start = line.find_first_not_of(" \t\r");
    if (start == std::string_view::npos) return {};
    std::size_t end = line.find_first_of(" \t\r", start);
    return line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

bool same_file(int fd, const std::string& path) {
    struct stat held {};
    struct stat named {};
    if (::fstat(fd, &held) != 0 || ::stat(path.c_str(), &named) != 0) return false;
    return held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

void write_all(int fd, const std::string& text, const std::string& path) {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw file_error(path, "cannot write", errno);
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

std::chrono::milliseconds sim_state_wait() {
    const char* text = std::getenv("USBIO_SIM_STATE_WAIT");
    if (!text || !*text) return std::chrono::seconds(10);
    char* end = nullptr;
    const double seconds = std::strtod(text, &end);
    if (*end != '\0' || !(seconds >= 0) || seconds > 86400)
        throw UsageError("USBIO_SIM_STATE_WAIT='" + std::string(text) + "': expected seconds (0..86400)");
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

SimStateFile::SimStateFile(std::string path, std::chrono::milliseconds wait, std::ostream& err)
    : path_(std::move(path)) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    bool said = false;
    // A command that saved before us replaced the file: the lock it held is
    // on the old one, so after locking, check the name still leads to it.
    while (true) {
        fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd_ < 0) throw file_error(path_, "cannot open the simulated state", errno);
        while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            const int e = errno;
            if (e == EINTR) continue;
            if (e != EWOULDBLOCK) {
                ::close(fd_);
                throw file_error(path_, "cannot lock", e);
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                ::close(fd_);
                char waited[32];
                std::snprintf(waited, sizeof waited, "%.1f s", static_cast<double>(wait.count()) / 1000.0);
                throw Failure(path_ + ": still locked by another usbio command after " + waited +
                                  " (USBIO_SIM_STATE_WAIT sets the limit)",
                              errno_code(EBUSY));
            }
            if (!said) err << "usbio: waiting for " << path_ << ": another usbio command is using it\n";
            said = true;
            std::this_thread::sleep_for(kLockRetry);
        }
        if (same_file(fd_, path_)) break;
        ::close(fd_);
    }
    std::string text;
    char buf[65536];
    while (true) {
        ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int e = errno;
            ::close(fd_);
            throw file_error(path_, "cannot read", e);
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    text_ = std::move(text);
}

SimStateFile::~SimStateFile() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

std::vector<std::string> SimStateFile::states(std::size_t count) const {
    std::vector<std::string> out;
    std::string lead;  // the blank lines that keep line numbers
    unsigned number = 0;
    std::size_t pos = 0;
    while (pos < text_.size()) {
        std::size_t nl = text_.find('\n', pos);
        std::string_view line(text_.data() + pos, (nl == std::string::npos ? text_.size() : nl) - pos);
        pos = nl == std::string::npos ? text_.size() : nl + 1;
        ++number;
        const std::string_view word = first_word(line);
        if (word == kStateStart) out.push_back(lead);
        if (out.empty() && !word.empty() && word[0] != '#')
            throw Failure(path_ + ": line " + std::to_string(number) + ": not a usbio simulated state (expected '" +
                          std::string(kStateStart) + " VERSION')");
        if (out.empty()) {
            lead += '\n';
        } else {
            out.back().append(line);
            out.back() += '\n';
        }
    }
    if (out.empty()) return std::vector<std::string>(count);
    if (out.size() != count)
        throw Failure(path_ + ": holds the state of " + std::to_string(out.size()) +
                      " simulated adapter(s), but --sim gives " + std::to_string(count) +
                      " (use one file per set of --sim adapters)");
    return out;
}

void SimStateFile::save(const std::vector<std::string>& states) const {
    std::string text = "# usbio simulated hardware (usbio --sim-state, see usbio(1)); one state per --sim adapter\n";
    for (const auto& s : states) text += s;

    std::string temp = path_ + ".XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) throw file_error(path_, "cannot create a temporary file beside it", errno);
    try {
        // The new file gets the old one's permissions (mkstemp makes 0600).
        struct stat held {};
        if (::fstat(fd_, &held) == 0) ::fchmod(fd, held.st_mode & 07777);
        write_all(fd, text, temp);
        if (::fsync(fd) != 0) throw file_error(temp, "cannot write", errno);
    } catch (...) {
        ::close(fd);
        ::unlink(temp.c_str());
        throw;
    }
    if (::close(fd) != 0) {
        const int e = errno;
        ::unlink(temp.c_str());
        throw file_error(temp, "cannot write", e);
    }
    if (::rename(temp.c_str(), path_.c_str()) != 0) {
        const int e = errno;
        ::unlink(temp.c_str());
        throw file_error(path_, "cannot replace", e);
    }
}

}  // namespace usbio::cli
