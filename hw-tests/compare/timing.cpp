// SPDX-License-Identifier: Apache-2.0
#include "timing.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "results.hpp"

namespace usbio::compare {

namespace {

constexpr int kWarmup = 2;

// Nearest-rank percentile of a sorted vector.
double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::min(std::max<std::size_t>(rank, 1), sorted.size()) - 1];
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

}  // namespace

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

Run measure(const Budget& budget, const std::function<int()>& op, const std::function<std::string()>& message) {
    Run r;
    auto note = [&](int rc) {
        if (rc == 0) return;
        if (rc == EBADMSG) ++r.mismatches;
        if (r.failures++ == 0) {
            r.first_errno = rc;
            r.first_error = message();
        }
    };
    for (int i = 0; i < kWarmup; ++i) note(op());

    r.us.reserve(budget.max_reps);
    const auto start = Clock::now();
    auto end = start;
    for (;;) {
        const auto t0 = Clock::now();
        const int rc = op();
        end = Clock::now();
        note(rc);
        r.us.push_back(std::chrono::duration<double, std::micro>(end - t0).count());
        const auto ran = end - start;
        if (r.us.size() >= budget.max_reps) break;
        if (ran >= budget.time && r.us.size() >= budget.min_reps) break;
        if (ran >= budget.hard_limit()) break;
    }
    r.seconds = std::chrono::duration<double>(end - start).count();
    return r;
}

Summary summarize(const std::vector<Run>& runs) {
    Summary s;
    std::vector<double> all;
    double seconds = 0;
    for (const Run& r : runs) {
        all.insert(all.end(), r.us.begin(), r.us.end());
        seconds += r.seconds;
        if (r.failures && !s.failures) {
            s.first_errno = r.first_errno;
            s.first_error = r.first_error;
        }
        s.failures += r.failures;
        s.mismatches += r.mismatches;
    }
    if (all.empty()) return s;
    std::sort(all.begin(), all.end());
    s.reps = all.size();
    s.ops_per_s = seconds > 0 ? static_cast<double>(s.reps) / seconds : 0;
    s.min_us = all.front();
    s.max_us = all.back();
    s.median_us = percentile(all, 0.5);
    s.p90_us = percentile(all, 0.9);
    return s;
}

std::string format(const Summary& s) {
    std::string out = "reps=" + std::to_string(s.reps) + " median_us=" + fixed(s.median_us, 0) +
                      " p90_us=" + fixed(s.p90_us, 0) + " min_us=" + fixed(s.min_us, 0) +
                      " max_us=" + fixed(s.max_us, 0) + " ops_s=" + fixed(s.ops_per_s, 1) +
                      " failures=" + std::to_string(s.failures) + " mismatches=" + std::to_string(s.mismatches);
    if (s.failures) out += " first_error=" + errno_text(s.first_errno) + ": " + s.first_error;
    return out;
}

// "seconds failures mismatches first_errno n us... | first_error"
std::string serialize(const Run& r) {
    std::ostringstream o;
    o.precision(9);
    o << r.seconds << ' ' << r.failures << ' ' << r.mismatches << ' ' << r.first_errno << ' ' << r.us.size();
    o.precision(6);
    for (double v : r.us) o << ' ' << v;
    o << " |" << r.first_error;
    return o.str();
}

bool deserialize(const std::string& line, Run& r) {
    const auto bar = line.find(" |");
    if (bar == std::string::npos) return false;
    std::istringstream in(line.substr(0, bar));
    std::size_t n = 0;
    if (!(in >> r.seconds >> r.failures >> r.mismatches >> r.first_errno >> n)) return false;
    r.us.resize(n);
    for (double& v : r.us)
        if (!(in >> v)) return false;
    r.first_error = line.substr(bar + 2);
    return true;
}

}  // namespace usbio::compare
