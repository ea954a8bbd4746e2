// SPDX-License-Identifier: Apache-2.0
// Checks shared by the command-line tests.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "run_cli.hpp"

namespace usbio::test {

using Words = std::vector<std::string>;

// A command line on one simulated CP2112 and no real adapters.
inline Words sim(const Words& rest) {
    Words w{"--no-usb", "--sim", "cp2112"};
    w.insert(w.end(), rest.begin(), rest.end());
    return w;
}

inline std::string describe(const CliRun& r) {
    return "exit " + std::to_string(r.exit_code) + (r.timed_out ? " (timed out)" : "") + "\nstdout:\n" + r.out +
           "stderr:\n" + r.err;
}

inline void expect_success(const CliRun& r) {
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    EXPECT_EQ(r.err, "") << describe(r);
}

// A failure is exit status `status` (i2c-tools and libgpiod use 1, i2cget 2
// for a failed read), nothing on stdout, and exactly one line on stderr,
// "usbio: ...", containing every fragment.
inline void expect_failure(const CliRun& r, int status, std::initializer_list<std::string> fragments) {
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, status) << describe(r);
    EXPECT_EQ(r.out, "") << describe(r);
    EXPECT_EQ(r.err.rfind("usbio: ", 0), 0u) << describe(r);
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.back(), '\n') << describe(r);
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line\n" << describe(r);
    for (const auto& f : fragments)
        EXPECT_NE(r.err.find(f), std::string::npos) << "missing '" << f << "'\n" << describe(r);
}

// The usual failure: exit status 1.
inline void expect_failure(const CliRun& r, std::initializer_list<std::string> fragments) {
    expect_failure(r, 1, fragments);
}

}  // namespace usbio::test
