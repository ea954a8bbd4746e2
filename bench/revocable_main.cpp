// SPDX-License-Identifier: Apache-2.0
// usbio_bench_revocable: the cost of one guarded call through
// usbio::detail::Revocable next to its alternatives, and of a revoke, with
// a verdict against the design's targets.
//
// The read-side mode (asymmetric with membarrier, or symmetric seq_cst) is
// fixed at process start from USBIO_REVOCABLE_SYMMETRIC, so the symmetric
// figures come from a second run of this program with that variable set; it
// hands its medians back through a pipe and the table shows both.
//
// Extra options (the rest go to Google Benchmark):
//   --no-symmetric         skip the symmetric-mode run
//   --results-fd=N         (internal) run as the symmetric child
#include <benchmark/benchmark.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "median_collector.hpp"
#include "revocable.hpp"
#include "revocable_cases.hpp"
#include "verdict_table.hpp"

extern char** environ;

namespace usbio::bench {
namespace {

constexpr const char* kSymmetricEnv = "USBIO_REVOCABLE_SYMMETRIC";

std::string mode_name() {
    if (detail::RevocableBase::fast_mode()) return "asymmetric (membarrier on revoke)";
    if (std::getenv(kSymmetricEnv) != nullptr) return std::string("symmetric (") + kSymmetricEnv + " set)";
    return "symmetric (membarrier unavailable)";
}

std::string load_average() {
    std::ifstream f("/proc/loadavg");
    std::string a, b, c;
    f >> a >> b >> c;
    return a + " " + b + " " + c;
}

// Child side: one line per median, "key real_ns cpu_ns threads".
void send_results(int fd, const MedianCollector& results) {
    std::string out = "mode " + std::to_string(detail::RevocableBase::fast_mode() ? 1 : 0) + "\n";
    for (const auto& [key, m] : results.all()) {
        char line[256];
        std::snprintf(line, sizeof line, "%s %.6f %.6f %d\n", key.c_str(), m.real_ns_per_thread, m.cpu_ns_per_thread,
                      m.threads);
        out += line;
    }
    const char* p = out.data();
    std::size_t left = out.size();
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    close(fd);
}

void print_help() {
    std::printf(
        "usbio_bench_revocable [--no-symmetric] [benchmark options]\n"
        "  --no-symmetric  skip the second run in the symmetric (no membarrier) mode\n\n");
    benchmark::PrintDefaultHelp();
}

struct ChildResults {
    bool ran = false;
    bool symmetric = false;
    std::map<std::string, Median> medians;
};

ChildResults parse_results(const std::string& text) {
    ChildResults r;
    r.ran = true;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        char key[200];
        Median m;
        int fast = 0;
        if (std::sscanf(line.c_str(), "mode %d", &fast) == 1) {
            r.symmetric = fast == 0;
        } else if (std::sscanf(line.c_str(), "%199s %lf %lf %d", key, &m.real_ns_per_thread, &m.cpu_ns_per_thread,
                               &m.threads) == 4) {
            r.medians[key] = m;
        }
    }
    return r;
}

// Runs this program again with the symmetric mode forced. Its benchmark
// output goes to our stdout; its medians come back through a pipe.
ChildResults run_symmetric_child(const std::vector<std::string>& user_args) {
    int fds[2];
    if (pipe(fds) != 0) {
        std::perror("pipe");
        return {};
    }
    const std::string fd_arg = "--results-fd=" + std::to_string(fds[1]);
    std::string self = "/proc/self/exe";
    std::vector<char*> argv{self.data(), const_cast<char*>(fd_arg.c_str())};
    for (const auto& a : user_args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);

    std::vector<std::string> env_store;
    for (char** e = environ; *e != nullptr; ++e)
        if (std::strncmp(*e, kSymmetricEnv, std::strlen(kSymmetricEnv)) != 0) env_store.emplace_back(*e);
    env_store.push_back(std::string(kSymmetricEnv) + "=1");
    std::vector<char*> envp;
    for (auto& s : env_store) envp.push_back(s.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::fflush(stdout);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
        std::fprintf(stderr, "cannot start the symmetric run: %s\n", std::strerror(rc));
        close(fds[0]);
        return {};
    }
    std::string text;
    char buf[4096];
    for (;;) {
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "the symmetric run failed (status %d)\n", status);
        return {};
    }
    return parse_results(text);
}

}  // namespace
}  // namespace usbio::bench

int main(int argc, char** argv) {
    using namespace usbio::bench;

    int results_fd = -1;
    bool want_symmetric = true;
    std::vector<std::string> user_args;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--results-fd=", 0) == 0)
            results_fd = std::atoi(a.c_str() + std::strlen("--results-fd="));
        else if (a == "--no-symmetric")
            want_symmetric = false;
        else
            user_args.push_back(a);
    }
    // Interleaving the repetitions of different cases spreads load changes
    // on a shared machine over all of them instead of one.
    std::vector<std::string> args_store{argv[0], "--benchmark_enable_random_interleaving=true"};
    args_store.insert(args_store.end(), user_args.begin(), user_args.end());
    const bool child = results_fd >= 0;
    std::vector<char*> args;
    for (auto& s : args_store) args.push_back(s.data());
    args.push_back(nullptr);
    int n = static_cast<int>(args.size()) - 1;

    register_read_side_cases(child);
    register_revoke_cases();
    benchmark::Initialize(&n, args.data(), print_help);
    if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;

    std::printf("%s read side: %s; load average %s\n", child ? "[symmetric run]" : "revocable", mode_name().c_str(),
                load_average().c_str());
    std::fflush(stdout);

    MedianCollector collector;
    benchmark::RunSpecifiedBenchmarks(&collector);
    benchmark::Shutdown();

    if (child) {
        send_results(results_fd, collector);
        return 0;
    }

    ChildResults sym;
    const bool parent_fast = usbio::detail::RevocableBase::fast_mode();
    if (want_symmetric && parent_fast) {
        std::printf("\nsymmetric mode: running again with %s=1\n", "USBIO_REVOCABLE_SYMMETRIC");
        sym = run_symmetric_child(user_args);
    }
    std::printf("\nload average after the run: %s\n", load_average().c_str());

    TableInput in;
    in.fast = parent_fast;
    in.main = collector.all();
    in.symmetric_ran = sym.ran && sym.symmetric;
    in.symmetric = sym.medians;
    print_verdict_table(in);
    return 0;
}
