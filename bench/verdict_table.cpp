// SPDX-License-Identifier: Apache-2.0
#include "verdict_table.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

namespace usbio::bench {

namespace {

using Medians = std::map<std::string, Median>;

std::optional<Median> get(const Medians& m, const char* name, int threads) {
    auto it = m.find(median_key(name, threads));
    if (it == m.end()) return std::nullopt;
    return it->second;
}

void print_medians(const char* title, const Medians& m) {
    std::printf("\n%s (median of repetitions, per call per thread)\n", title);
    std::printf("  %-24s %12s %12s %12s %12s\n", "case", "1 thr wall", "1 thr cpu", "2 thr wall", "2 thr cpu");
    const char* cases[] = {"plain_call", "guarded_call", "urcu_memb_call", "shared_mutex_call"};
    for (const char* c : cases) {
        auto one = get(m, c, 1);
        auto two = get(m, c, 2);
        if (!one && !two) continue;
        auto cell = [](const std::optional<Median>& x, bool wall) {
            static char buf[4][32];
            static int i = 0;
            char* b = buf[i++ % 4];
            if (!x) return static_cast<const char*>("-");
            std::snprintf(b, 32, "%.2f ns", wall ? x->real_ns_per_thread : x->cpu_ns_per_thread);
            return static_cast<const char*>(b);
        };
        std::printf("  %-24s %12s %12s %12s %12s\n", c, cell(one, true), cell(one, false), cell(two, true),
                    cell(two, false));
    }
    for (const char* c : {"revoke_drain_idle", "revoke_drain_busy_peer"}) {
        if (auto x = get(m, c, 1))
            std::printf("  %-24s %9.2f us %9.2f us\n", c, x->real_ns_per_thread / 1000, x->cpu_ns_per_thread / 1000);
    }
}

struct Row {
    std::string check;
    std::string detail;  // the figures behind the value
    double value = 0;
    double cpu_value = 0;  // the same figure from thread CPU time
    const char* unit = "x";
    const char* target_text = "";
    bool pass = false;
    // Largest wall/cpu ratio among the medians used: above 1 the threads
    // were waiting for a CPU rather than running.
    double inflation = 1;
};

double inflation(const Median& m) { return m.cpu_ns_per_thread > 0 ? m.real_ns_per_thread / m.cpu_ns_per_thread : 1; }

enum class Cmp { at_most, below };

std::optional<Row> ratio_row(const std::string& check, std::optional<Median> a, std::optional<Median> b, double limit,
                             Cmp cmp, const char* target_text) {
    if (!a || !b || b->real_ns_per_thread <= 0 || b->cpu_ns_per_thread <= 0) return std::nullopt;
    Row r;
    r.check = check;
    r.value = a->real_ns_per_thread / b->real_ns_per_thread;
    r.cpu_value = a->cpu_ns_per_thread / b->cpu_ns_per_thread;
    char d[96];
    std::snprintf(d, sizeof d, "%.2f / %.2f ns", a->real_ns_per_thread, b->real_ns_per_thread);
    r.detail = d;
    r.target_text = target_text;
    r.pass = cmp == Cmp::at_most ? r.value <= limit : r.value < limit;
    r.inflation = std::max(inflation(*a), inflation(*b));
    return r;
}

std::optional<Row> absolute_row(const std::string& check, std::optional<Median> a, double scale, const char* unit,
                                double limit, const char* target_text) {
    if (!a) return std::nullopt;
    Row r;
    r.check = check;
    r.value = a->real_ns_per_thread / scale;
    r.cpu_value = a->cpu_ns_per_thread / scale;
    r.unit = unit;
    r.target_text = target_text;
    r.pass = r.value <= limit;
    r.inflation = inflation(*a);
    return r;
}

std::optional<Row> difference_row(const std::string& check, std::optional<Median> a, std::optional<Median> b,
                                  double limit, const char* target_text) {
    if (!a || !b) return std::nullopt;
    Row r;
    r.check = check;
    r.value = a->real_ns_per_thread - b->real_ns_per_thread;
    r.cpu_value = a->cpu_ns_per_thread - b->cpu_ns_per_thread;
    r.unit = "ns";
    char d[96];
    std::snprintf(d, sizeof d, "%.2f - %.2f ns", a->real_ns_per_thread, b->real_ns_per_thread);
    r.detail = d;
    r.target_text = target_text;
    r.pass = r.value <= limit;
    r.inflation = std::max(inflation(*a), inflation(*b));
    return r;
}

const char* verdict(const Row& r) {
    if (std::string(r.target_text) == "(info)") return "";
    return r.pass ? "PASS" : "MISS";
}

// Wall time above thread CPU time means the threads waited for a CPU: the
// machine was busy, wall figures are inflated, and two "concurrent" threads
// partly took turns (which also hides contention from the cpu column).
constexpr double kBusyInflation = 1.2;

}  // namespace

void print_verdict_table(const TableInput& in) {
    const Medians& m = in.main;
    const Medians& s = in.symmetric;
    print_medians(in.fast ? "asymmetric read side" : "symmetric read side (main run)", m);
    if (in.symmetric_ran) print_medians("symmetric read side (second run)", s);

    std::vector<std::optional<Row>> rows;
    const char* g = "guarded_call";
    rows.push_back(
        ratio_row("guarded / plain, 1 thread", get(m, g, 1), get(m, "plain_call", 1), 1.5, Cmp::at_most, "<= 1.5x"));
    rows.push_back(difference_row("guarded - plain, 1 thread", get(m, g, 1), get(m, "plain_call", 1), 2.0, "<= 2 ns"));
    rows.push_back(ratio_row("guarded 2 thr / 1 thr", get(m, g, 2), get(m, g, 1), 1.5, Cmp::at_most, "<= 1.5x"));
    rows.push_back(
        ratio_row("guarded / urcu-memb, 1 thr", get(m, g, 1), get(m, "urcu_memb_call", 1), 1.0, Cmp::below, "< 1x"));
    rows.push_back(
        ratio_row("guarded / urcu-memb, 2 thr", get(m, g, 2), get(m, "urcu_memb_call", 2), 1.0, Cmp::below, "< 1x"));
    rows.push_back(ratio_row("guarded / shared_mutex, 1 thr", get(m, g, 1), get(m, "shared_mutex_call", 1), 0.25,
                             Cmp::at_most, "<= 0.25x"));
    rows.push_back(ratio_row("guarded / shared_mutex, 2 thr", get(m, g, 2), get(m, "shared_mutex_call", 2), 0.25,
                             Cmp::at_most, "<= 0.25x"));
    rows.push_back(absolute_row("revoke+drain, idle", get(m, "revoke_drain_idle", 1), 1000, "us", 50, "<= 50 us"));
    rows.push_back(
        absolute_row("revoke+drain, busy peer", get(m, "revoke_drain_busy_peer", 1), 1000, "us", 50, "<= 50 us"));
    if (in.symmetric_ran) {
        rows.push_back(absolute_row("sym: guarded call, 1 thr", get(s, g, 1), 1, "ns", 25, "<= 25 ns"));
        rows.push_back(ratio_row("sym: guarded / plain, 1 thr", get(s, g, 1), get(s, "plain_call", 1), 1e9,
                                 Cmp::at_most, "(info)"));
        rows.push_back(
            ratio_row("sym: guarded 2 thr / 1 thr", get(s, g, 2), get(s, g, 1), 1.5, Cmp::at_most, "<= 1.5x"));
        rows.push_back(
            absolute_row("sym: revoke+drain, idle", get(s, "revoke_drain_idle", 1), 1000, "us", 50, "<= 50 us"));
        rows.push_back(absolute_row("sym: revoke+drain, busy peer", get(s, "revoke_drain_busy_peer", 1), 1000, "us", 50,
                                    "<= 50 us"));
    }

    std::printf(
        "\nverdicts on wall-clock medians (cpu: the same figure from thread CPU time, which\n"
        "waiting for a CPU does not inflate)\n");
    std::printf("  %-30s %10s %10s  %-22s %-9s %s\n", "check", "wall", "cpu", "from", "target", "");
    bool busy = false;
    for (const auto& r : rows) {
        if (!r) continue;
        char note[48] = "";
        if (r->inflation > kBusyInflation) {
            busy = true;
            std::snprintf(note, sizeof note, "  busy: wall/cpu %.1f", r->inflation);
        }
        std::printf("  %-30s %8.2f %-2s%8.2f %-2s %-22s %-9s %s%s\n", r->check.c_str(), r->value, r->unit, r->cpu_value,
                    r->unit, r->detail.c_str(), r->target_text, verdict(*r), note);
    }
    if (busy)
        std::printf(
            "  (busy: other processes held the CPUs during those cases, so their wall times are\n"
            "   inflated and 2-thread cases did not run fully in parallel; rerun on a quiet machine)\n");
    if (!in.symmetric_ran)
        std::printf("  (no symmetric-mode figures: %s)\n",
                    in.fast ? "the second run was skipped or failed" : "the main run was already symmetric");
}

}  // namespace usbio::bench
