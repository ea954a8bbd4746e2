// SPDX-License-Identifier: Apache-2.0
#include "waiting.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "app.hpp"

namespace usbio::cli {

namespace {

int g_pipe[2] = {-1, -1};
volatile sig_atomic_t g_raised = 0;
struct sigaction g_old_int;
struct sigaction g_old_term;

extern "C" void on_stop_signal(int) {
    const int saved = errno;
    g_raised = 1;
    const char byte = 1;
    [[maybe_unused]] auto n = ::write(g_pipe[1], &byte, 1);  // non-blocking: a full pipe is readable anyway
    errno = saved;
}

}  // namespace

StopSignals::StopSignals() {
    if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        throw Failure(std::string("cannot watch for signals: ") + std::strerror(errno));
    g_raised = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, &g_old_int);
    ::sigaction(SIGTERM, &sa, &g_old_term);
}

StopSignals::~StopSignals() {
    ::sigaction(SIGINT, &g_old_int, nullptr);
    ::sigaction(SIGTERM, &g_old_term, nullptr);
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}

int StopSignals::fd() const noexcept { return g_pipe[0]; }

bool StopSignals::raised() const noexcept { return g_raised != 0; }

std::vector<bool> wait_readable(const std::vector<int>& fds, std::optional<Clock::time_point> deadline) {
    std::vector<pollfd> pfds;
    for (int fd : fds) pfds.push_back({fd, POLLIN, 0});
    int timeout_ms = -1;
    if (deadline) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now()).count();
        timeout_ms = left <= 0 ? 0 : left > 60'000 ? 60'000 : static_cast<int>(left);
    }
    std::vector<bool> ready(fds.size(), false);
    const int n = ::poll(pfds.data(), pfds.size(), timeout_ms);
    if (n <= 0) return ready;
    for (std::size_t i = 0; i < pfds.size(); ++i) ready[i] = (pfds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
    return ready;
}

}  // namespace usbio::cli
