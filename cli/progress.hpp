// SPDX-License-Identifier: Apache-2.0
// A progress bar for long transfers (EEPROM reads and writes): bytes done,
// rate and time left, redrawn in place on a terminal.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

namespace usbio::cli {

// "1.5 KiB", "64.0 KiB", "812 B": a byte count for people.
std::string byte_size_text(double bytes);

// "0:07", "12:03", "1:02:03"; "--:--" for an unknown time.
std::string eta_text(std::chrono::seconds left);

// One line of progress, e.g.
//   "read  [########------------]  1536/4096 B  37%  12.0 KiB/s  ETA 0:02"
// The rate and ETA show as "--" until something is done and time passed.
std::string progress_line(std::string_view label, std::size_t done, std::size_t total,
                          std::chrono::nanoseconds elapsed);

class ProgressBar {
public:
    using Now = std::function<std::chrono::steady_clock::time_point()>;

    // Draws on `out` (a terminal: lines are overwritten with '\r'). `now`
    // is the clock, injectable for tests. Nothing is drawn when !enabled.
    ProgressBar(std::ostream& out, std::string label, std::size_t total, bool enabled,
                Now now = std::chrono::steady_clock::now);
    ~ProgressBar();  // finish()
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    // Redraws when at least the redraw interval passed since the last
    // drawing, and always when `done` reaches the total.
    void update(std::size_t done);
    // Ends the bar's line (once), so later messages start on a line of
    // their own.
    void finish();

    static constexpr std::chrono::milliseconds kRedrawInterval{100};

private:
    void draw(std::size_t done, std::chrono::steady_clock::time_point at);

    std::ostream& out_;
    std::string label_;
    std::size_t total_;
    bool enabled_;
    Now now_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_{};
    bool drawn_ = false;
    bool finished_ = false;
    std::size_t width_ = 0;  // of the line drawn last, to blank what a shorter one leaves
};

}  // namespace usbio::cli
