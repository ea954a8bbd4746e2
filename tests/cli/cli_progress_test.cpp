// SPDX-License-Identifier: Apache-2.0
// The progress bar's text (rate, ETA) and its redrawing, on an injected
// clock: no test waits for real time.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "app.hpp"
#include "numbers.hpp"
#include "progress.hpp"

namespace usbio::cli {
namespace {

using namespace std::chrono_literals;

TEST(CliProgress, ByteSizes) {
    EXPECT_EQ(byte_size_text(0), "0 B");
    EXPECT_EQ(byte_size_text(1023), "1023 B");
    EXPECT_EQ(byte_size_text(1536), "1.5 KiB");
    EXPECT_EQ(byte_size_text(65536), "64.0 KiB");
    EXPECT_EQ(byte_size_text(3 * 1024 * 1024), "3.0 MiB");
}

TEST(CliProgress, EtaText) {
    EXPECT_EQ(eta_text(0s), "0:00");
    EXPECT_EQ(eta_text(7s), "0:07");
    EXPECT_EQ(eta_text(723s), "12:03");
    EXPECT_EQ(eta_text(3723s), "1:02:03");
    EXPECT_EQ(eta_text(-1s), "--:--");
}

TEST(CliProgress, LineShowsBytesRateAndEta) {
    // 1024 of 4096 bytes in 2 s: 512 B/s, 3072 bytes left: 6 s.
    EXPECT_EQ(progress_line("read", 1024, 4096, 2s),
              "read [#####---------------]  1024/4096 B  25%  512 B/s  ETA 0:06");
    // 3 KiB/s, 64 KiB - 3 KiB left: 20.33 s, shown rounded.
    EXPECT_EQ(progress_line("write", 3072, 65536, 1s),
              "write [--------------------]  3072/65536 B  4%  3.0 KiB/s  ETA 0:20");
    // Half the rate: twice the time left.
    EXPECT_EQ(progress_line("write", 3072, 65536, 2s),
              "write [--------------------]  3072/65536 B  4%  1.5 KiB/s  ETA 0:41");
    EXPECT_EQ(progress_line("read", 4096, 4096, 500ms),
              "read [####################]  4096/4096 B  100%  8.0 KiB/s  ETA 0:00");
}

TEST(CliProgress, LineBeforeAnythingIsDone) {
    EXPECT_EQ(progress_line("read", 0, 4096, 0s), "read [--------------------]  0/4096 B  0%  -- B/s  ETA --:--");
    EXPECT_EQ(progress_line("read", 0, 4096, 3s), "read [--------------------]  0/4096 B  0%  -- B/s  ETA --:--");
}

struct FakeClock {
    std::chrono::steady_clock::time_point t{};
    ProgressBar::Now now() {
        return [this] { return t; };
    }
};

TEST(CliProgress, RedrawsAtMostEveryIntervalAndAtTheEnd) {
    FakeClock clock;
    std::ostringstream out;
    {
        ProgressBar bar(out, "read", 100, true, clock.now());
        bar.update(10);  // first drawing
        clock.t += 50ms;
        bar.update(20);  // too soon: not drawn
        clock.t += 50ms;
        bar.update(30);  // 100 ms after the first
        clock.t += 1ms;
        bar.update(100);  // the end is always drawn
    }
    const std::string text = out.str();
    EXPECT_EQ(text.find(" 20/100 B"), std::string::npos) << text;
    EXPECT_NE(text.find("\rread [##--"), std::string::npos) << text;
    EXPECT_NE(text.find(" 30/100 B  30%  300 B/s  ETA 0:00"), std::string::npos) << text;
    EXPECT_NE(text.find(" 100/100 B  100%"), std::string::npos) << text;
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');  // finished: later messages get their own line
    EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 3) << text;
}

TEST(CliProgress, ShorterLineBlanksTheRest) {
    FakeClock clock;
    std::ostringstream out;
    ProgressBar bar(out, "read", 10, true, clock.now());
    clock.t += 1000s;
    bar.update(1);  // a slow start: a long ETA
    clock.t += 1s;
    bar.update(10);
    bar.finish();
    const std::string first = progress_line("read", 1, 10, 1000s);
    const std::string last = progress_line("read", 10, 10, 1001s);
    ASSERT_LT(last.size(), first.size());
    EXPECT_EQ(out.str(), "\r" + first + "\r" + last + std::string(first.size() - last.size(), ' ') + "\n");
}

TEST(CliProgress, DisabledDrawsNothing) {
    FakeClock clock;
    std::ostringstream out;
    {
        ProgressBar bar(out, "read", 100, false, clock.now());
        bar.update(50);
        bar.update(100);
    }
    EXPECT_EQ(out.str(), "");
}

TEST(CliNumbers, ByteCounts) {
    EXPECT_EQ(parse_size("4096", 1 << 20, "length"), 4096u);
    EXPECT_EQ(parse_size("0x1000", 1 << 20, "length"), 4096u);
    EXPECT_EQ(parse_size("4K", 1 << 20, "length"), 4096u);
    EXPECT_EQ(parse_size("64k", 1 << 20, "length"), 65536u);
    EXPECT_EQ(parse_size("010K", 1 << 20, "length"), 10240u);
    EXPECT_EQ(parse_size("0", 1 << 20, "offset"), 0u);
    for (const char* bad : {"", "K", "-1", "0x10K", "4 K", "4KiB", " 4", "4M"})
        EXPECT_THROW(parse_size(bad, 1 << 20, "length"), UsageError) << bad;
    try {
        parse_size("2K", 1024, "offset");
        FAIL() << "2K accepted";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "offset 2K out of range (0-1024)");
    }
}

}  // namespace
}  // namespace usbio::cli
