// SPDX-License-Identifier: Apache-2.0
#include "run_cli.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace usbio::test {

namespace {

struct Pipe {
    int fd[2] = {-1, -1};
    Pipe() {
        if (::pipe2(fd, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    ~Pipe() {
        close_end(0);
        close_end(1);
    }
    void close_end(int i) {
        if (fd[i] >= 0) ::close(fd[i]);
        fd[i] = -1;
    }
};

struct Trigger {
    std::string marker;              // empty: never
    int signal = 0;                  // 0 and no action: close stdin instead (held open until then)
    bool on_stderr = false;          // look for the marker there, not on stdout
    std::function<void()> action{};  // instead of the signal
};

CliRun run(const std::vector<std::string>& args, const std::string& input, std::chrono::milliseconds timeout,
           const Trigger& trigger) {
    // A child that exits before reading its input must not kill us.
    ::signal(SIGPIPE, SIG_IGN);

    Pipe in, out, err;
    std::vector<std::string> words{USBIO_CLI_PATH};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);

    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        ::dup2(in.fd[0], 0);
        ::dup2(out.fd[1], 1);
        ::dup2(err.fd[1], 2);
        ::execv(argv[0], argv.data());
        _exit(127);
    }
    in.close_end(0);
    out.close_end(1);
    err.close_end(1);

    CliRun run;
    bool signalled = false;
    std::size_t written = 0;
    const bool hold_stdin = !trigger.marker.empty() && trigger.signal == 0 && !trigger.action;
    if (input.empty() && !hold_stdin) in.close_end(1);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out.fd[0] >= 0 || err.fd[0] >= 0) {
        const std::string& watched = trigger.on_stderr ? run.err : run.out;
        if (!trigger.marker.empty() && !signalled && watched.find(trigger.marker) != std::string::npos) {
            if (trigger.action)
                trigger.action();
            else if (hold_stdin)
                in.close_end(1);
            else
                ::kill(pid, trigger.signal);
            signalled = true;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            run.timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        // Held-open stdin with nothing to write is not polled.
        const int in_fd = hold_stdin && input.empty() ? -1 : in.fd[1];
        pollfd fds[3] = {{out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}, {in_fd, POLLOUT, 0}};
        int n = ::poll(fds, 3, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[4096];
            ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                (i == 0 ? run.out : run.err).append(buf, static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                (i == 0 ? out : err).close_end(0);
            }
        }
        if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t put = ::write(in.fd[1], input.data() + written, input.size() - written);
            if (put > 0) written += static_cast<std::size_t>(put);
            if (put < 0 && errno != EINTR) written = input.size();
            if (written == input.size()) in.close_end(1);
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!run.timed_out && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
    return run;
}

}  // namespace

CliRun run_usbio(const std::vector<std::string>& args, const std::string& input, std::chrono::milliseconds timeout) {
    return run(args, input, timeout, Trigger{});
}

CliRun run_usbio_until(const std::vector<std::string>& args, const std::string& marker, int signal,
                       std::chrono::milliseconds timeout) {
    return run(args, "", timeout, Trigger{marker, signal});
}

CliRun run_usbio_on_stderr(const std::vector<std::string>& args, const std::string& marker,
                           const std::function<void()>& action, std::chrono::milliseconds timeout) {
    return run(args, "", timeout, Trigger{marker, 0, true, action});
}

CliRun run_usbio_stdin_until(const std::vector<std::string>& args, const std::string& marker,
                             std::chrono::milliseconds timeout) {
    return run(args, "", timeout, Trigger{marker, 0});
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

}  // namespace usbio::test
