// SPDX-License-Identifier: Apache-2.0
#include "progress.hpp"

#include <cstdio>
#include <ostream>

namespace usbio::cli {

namespace {

constexpr std::size_t kBarWidth = 20;

std::string fixed1(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

}  // namespace

std::string byte_size_text(double bytes) {
    if (bytes < 1024) return std::to_string(static_cast<long long>(bytes)) + " B";
    if (bytes < 1024.0 * 1024) return fixed1(bytes / 1024) + " KiB";
    return fixed1(bytes / (1024.0 * 1024)) + " MiB";
}

std::string eta_text(std::chrono::seconds left) {
    if (left.count() < 0) return "--:--";
    const long long s = left.count();
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

std::string progress_line(std::string_view label, std::size_t done, std::size_t total,
                          std::chrono::nanoseconds elapsed) {
    const double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
    const auto filled = static_cast<std::size_t>(fraction * kBarWidth);
    std::string line(label);
    line += " [" + std::string(filled, '#') + std::string(kBarWidth - filled, '-') + "]  ";
    line += std::to_string(done) + "/" + std::to_string(total) + " B  ";
    line += std::to_string(static_cast<int>(fraction * 100)) + "%  ";
    const double seconds = std::chrono::duration<double>(elapsed).count();
    if (done == 0 || seconds <= 0) return line + "-- B/s  ETA --:--";
    const double rate = static_cast<double>(done) / seconds;
    const auto left = static_cast<long long>(static_cast<double>(total - done) / rate + 0.5);
    return line + byte_size_text(rate) + "/s  ETA " + eta_text(std::chrono::seconds(left));
}

ProgressBar::ProgressBar(std::ostream& out, std::string label, std::size_t total, bool enabled, Now now)
    : out_(out), label_(std::move(label)), total_(total), enabled_(enabled), now_(std::move(now)), start_(now_()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::size_t done) {
    if (!enabled_ || finished_) return;
    const auto at = now_();
    if (drawn_ && done < total_ && at - last_draw_ < kRedrawInterval) return;
    draw(done, at);
}

void ProgressBar::draw(std::size_t done, std::chrono::steady_clock::time_point at) {
    std::string line = progress_line(label_, done, total_, at - start_);
    const std::size_t width = line.size();
    if (width < width_) line += std::string(width_ - width, ' ');
    width_ = width;
    out_ << '\r' << line << std::flush;
    drawn_ = true;
    last_draw_ = at;
}

void ProgressBar::finish() {
    if (finished_) return;
    finished_ = true;
    if (drawn_) out_ << '\n' << std::flush;
}

}  // namespace usbio::cli
