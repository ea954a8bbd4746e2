// SPDX-License-Identifier: Apache-2.0
#include "shell_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace usbio::hw {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxOutput = 4096;

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

std::string CommandResult::describe() const {
    std::string s;
    if (!started)
        s = "could not start";
    else if (timed_out)
        s = "killed after " + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()) +
            " ms";
    else
        s = "exit " + std::to_string(exit_status);
    if (!output.empty()) s += ": " + output;
    return s;
}

CommandResult run_shell(const std::string& command, std::chrono::milliseconds limit) {
    CommandResult r;
    const auto start = Clock::now();
    const auto deadline = start + limit;
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        r.output = std::strerror(errno);
        return r;
    }
    const pid_t pid = fork();
    if (pid < 0) {
        r.output = std::strerror(errno);
        close(pipefd[0]);
        close(pipefd[1]);
        return r;
    }
    if (pid == 0) {
        // Own process group, so a timeout kills whatever the command started.
        setpgid(0, 0);
        dup2(pipefd[1], STDOUT_FILENO);
        dup2(pipefd[1], STDERR_FILENO);
        const int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, STDIN_FILENO);
        execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    setpgid(pid, pid);
    r.started = true;
    close(pipefd[1]);

    // Read until the command closes its output (or the limit), then reap it.
    char buf[512];
    bool open_pipe = true;
    while (open_pipe) {
        const int wait_ms = remaining_ms(deadline);
        if (wait_ms == 0) {
            r.timed_out = true;
            break;
        }
        pollfd p{pipefd[0], POLLIN, 0};
        const int n = poll(&p, 1, wait_ms);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) continue;  // the deadline check above ends it
        const ssize_t got = read(pipefd[0], buf, sizeof buf);
        if (got > 0) {
            if (r.output.size() < kMaxOutput)
                r.output.append(buf,
                                std::min<std::size_t>(static_cast<std::size_t>(got), kMaxOutput - r.output.size()));
        } else if (got == 0 || errno != EINTR) {
            open_pipe = false;
        }
    }
    close(pipefd[0]);

    // A command may close its output and go on running: it gets what is
    // left of the limit. A pidfd turns its exit into something to poll.
    int status = 0;
    if (!r.timed_out) {
        const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
        for (;;) {
            const pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid || (w < 0 && errno != EINTR)) break;
            const int wait_ms = remaining_ms(deadline);
            if (wait_ms == 0) {
                r.timed_out = true;
                break;
            }
            pollfd p{pidfd, POLLIN, 0};
            // Without a pidfd (old kernel), look again every 5 ms.
            poll(&p, pidfd >= 0 ? 1 : 0, pidfd >= 0 ? wait_ms : std::min(wait_ms, 5));
        }
        if (pidfd >= 0) close(pidfd);
    }
    if (r.timed_out) {
        kill(-pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    r.took = Clock::now() - start;
    if (!r.timed_out && WIFEXITED(status)) r.exit_status = WEXITSTATUS(status);
    while (!r.output.empty() && (r.output.back() == '\n' || r.output.back() == ' ')) r.output.pop_back();
    return r;
}

}  // namespace usbio::hw
