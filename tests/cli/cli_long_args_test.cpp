// SPDX-License-Identifier: Apache-2.0
// Argument lists as long as the kernel lets a command have: answered at
// once, with the error their first words earn.
#include <gtest/gtest.h>

#include "cli_expect.hpp"

namespace usbio::test {
namespace {

// About as many words as fit in the kernel's argument space (2 MiB for
// strings and pointers together) when they are this short.
constexpr std::size_t kManyWords = 150'000;

// `head`, then `word` until the list holds kManyWords words, then `tail`.
Words many(Words head, const std::string& word, const Words& tail = {}) {
    while (head.size() + tail.size() < kManyWords) head.push_back(word);
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

// Every case ends in the error the first few words already earn; each word
// of the list is still read (the last ones included), which a parser
// quadratic in the number of words makes take tens of seconds.
TEST(CliLongArgumentLists, TransferDataWords) {
    expect_failure(run_usbio(many(sim({"i2c", "transfer", "-y", "0", "w1@0x50"}), "0")),
                   {"invalid message '0'", "{r|w}LENGTH[@ADDRESS]"});
}

TEST(CliLongArgumentLists, GpioLines) {
    expect_failure(run_usbio(many(sim({"gpio", "get", "0"}), "3")), {"lines '3' and '3' are the same line"});
    expect_failure(run_usbio(many(sim({"gpio", "set", "0"}), "3=1")), {"lines '3' and '3' are the same line"});
}

TEST(CliLongArgumentLists, I2cSetValues) {
    expect_failure(run_usbio(many(sim({"i2c", "set", "-y", "0", "0x48", "1"}), "1", {"b"})),
                   {"mode b takes exactly one VALUE"});
}

TEST(CliLongArgumentLists, OptionAfterTheLastWordIsStillSeen) {
    expect_failure(run_usbio(many(sim({"gpio", "get", "0"}), "3", {"--frob"})), {"unrecognised option '--frob'"});
}

TEST(CliLongArgumentLists, RepeatedOptions) {
    expect_failure(run_usbio(many(sim({"i2c", "get"}), "-y", {"0", "0x48"})),
                   {"option '--yes' cannot be specified more than once"});
    expect_failure(run_usbio(many({"--no-usb"}, "-v", {"list"})),
                   {"option '--verbose' cannot be specified more than once"});
    // Options between the positional words.
    Words mixed = sim({"gpio", "get", "0"});
    while (mixed.size() < kManyWords) mixed.insert(mixed.end(), {"-l", "3"});
    expect_failure(run_usbio(mixed), {"option '--active-low' cannot be specified more than once"});
}

TEST(CliLongArgumentLists, EverythingAfterDoubleDashIsPositional) {
    expect_failure(run_usbio(many(sim({"gpio", "get", "--", "0", "3"}), "-l")), {"cannot find line '-l'"});
}

}  // namespace
}  // namespace usbio::test
