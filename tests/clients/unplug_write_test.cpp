// SPDX-License-Identifier: Apache-2.0
// A 4 KiB EEPROM write unplugged at every USB transfer index, then re-plugged
// and read back (the simulated EEPROM keeps its memory, as the chip does).
//
// Without a write cycle every transfer index is tried (every 5th in ASan and
// TSan builds); with a 300 us one (the polls meet a busy part) 64 indices
// spread over the write are.
//
// What is asserted, each time: the write returns success or ENODEV, within
// a bound; its count is a whole number of pages; every page of the memory is
// entirely old or entirely new (never a mix); the new pages are exactly the
// first P pages, where P is the count's pages or one more (the page whose
// write reached the chip before the unplug was seen, but whose write cycle
// was never confirmed); the read-back through the re-plugged adapter equals
// the chip's memory.
//
// And a 4 KiB read unplugged at every transfer index (CP2112 device versions
// 2 and 3, FT232H): what the read counts as done is the EEPROM's data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <future>

#include <map>

#include "usbio/usbio.hpp"

using namespace usbio;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kSize = 4096;
constexpr std::size_t kPage = 32;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr uint64_t kSanitizerStride = 5;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr uint64_t kSanitizerStride = 5;
#else
constexpr uint64_t kSanitizerStride = 1;
#endif
#else
constexpr uint64_t kSanitizerStride = 1;
#endif

sim::Options settings(std::map<std::string, std::string> s) {
    sim::Options o;
    o.settings = std::move(s);
    return o;
}

Eeprom bind_eeprom(Context& ctx, sim::Adapter& adapter) {
    auto client = bind_client(ctx, adapter.devices().at(0), "24c32", 0x50);
    if (!client) throw std::runtime_error(client.error().message);
    return client->eeprom().value();
}

EepromIo write_bounded(Eeprom& ee, std::span<const uint8_t> data) {
    auto f = std::async(std::launch::async, [&] { return ee.write(0, data); });
    if (f.wait_for(20s) != std::future_status::ready) std::abort();  // a hang: fail loudly, naming the test
    return f.get();
}

void check_pages(const std::vector<uint8_t>& old_mem, const std::vector<uint8_t>& new_mem,
                 const std::vector<uint8_t>& now, const EepromIo& io, uint64_t k) {
    SCOPED_TRACE("unplugged at transfer " + std::to_string(k));
    EXPECT_TRUE(io.ok() || io.status.code() == std::errc::no_such_device) << (io.ok() ? "" : io.status.error().message);
    EXPECT_EQ(io.done % kPage, 0u);
    std::size_t fresh = 0;  // new pages, all at the start
    bool seen_old = false;
    for (std::size_t p = 0; p < kSize / kPage; ++p) {
        const auto at = std::ptrdiff_t(p * kPage);
        const bool is_old = std::equal(now.begin() + at, now.begin() + at + kPage, old_mem.begin() + at);
        const bool is_new = std::equal(now.begin() + at, now.begin() + at + kPage, new_mem.begin() + at);
        ASSERT_TRUE(is_old || is_new) << "page " << p << " is part old, part new";
        if (is_new) {
            ASSERT_FALSE(seen_old) << "page " << p << " is new after an old page";
            ++fresh;
        } else {
            seen_old = true;
        }
    }
    EXPECT_GE(fresh * kPage, io.done);
    EXPECT_LE(fresh * kPage, io.done + kPage);
    if (io.ok()) {
        EXPECT_EQ(io.done, kSize);
    }
}

class UnplugEepromWrite : public ::testing::TestWithParam<std::tuple<const char*, const char*>> {};

TEST_P(UnplugEepromWrite, EveryPageIsOldOrNewAndTheCountMatches) {
    const char* chip = std::get<0>(GetParam());
    Context ctx;
    // Write cycle "0": polling finds the part ready at once, so the healthy
    // write's transfer count is the same on every run; "300" makes the
    // polls meet a busy part (the count then varies a little).
    auto adapter = sim::attach(ctx, chip, settings({{"eeprom-write-cycle-us", std::get<1>(GetParam())}})).value();
    Eeprom ee = bind_eeprom(ctx, *adapter);
    std::vector<uint8_t> image(kSize);
    for (std::size_t i = 0; i < kSize; ++i) image[i] = uint8_t(i * 7 + 3);
    uint64_t before = adapter->transfer_count();
    ASSERT_TRUE(write_bounded(ee, image));
    const uint64_t transfers = adapter->transfer_count() - before;
    ASSERT_GT(transfers, kSize / kPage);
    std::printf("%s: a 4 KiB write makes %llu USB transfers\n", chip, (unsigned long long)transfers);

    // With no write cycle every index is tried (every 5th in sanitizer
    // builds, which run several times slower: 5 is prime to the 6 and 4
    // transfers of a cp2112 and an ft232h page, so every phase of a page is
    // still hit); with one, the polls make the count vary and run into
    // thousands, so 64 indices spread over it are.
    const uint64_t step =
        std::string(std::get<1>(GetParam())) == "0" ? kSanitizerStride : std::max<uint64_t>(1, transfers / 64);
    for (uint64_t k = 1; k <= transfers + 1; k += step) {
        const auto old_mem = adapter->eeprom_contents();
        std::vector<uint8_t> new_mem(kSize);
        for (std::size_t i = 0; i < kSize; ++i) new_mem[i] = uint8_t(~old_mem[i]);
        Device dev = adapter->devices().at(0);
        before = adapter->transfer_count();
        adapter->unplug_at_transfer(k);
        const EepromIo io = write_bounded(ee, new_mem);
        if (adapter->transfer_count() - before < k) adapter->unplug();  // the write ended first
        ASSERT_TRUE(dev.wait_gone(20s)) << "at " << k;
        const auto now = adapter->eeprom_contents();
        check_pages(old_mem, new_mem, now, io, k);
        if (HasFatalFailure()) return;

        ASSERT_TRUE(adapter->plug()) << "at " << k;
        ee = bind_eeprom(ctx, *adapter);
        std::vector<uint8_t> back(kSize);
        auto r = ee.read(0, back);
        ASSERT_TRUE(r) << r.status.error().message;
        ASSERT_EQ(back, now) << "read back after the re-plug at " << k;
    }
}

INSTANTIATE_TEST_SUITE_P(Chips, UnplugEepromWrite,
                         ::testing::Combine(::testing::Values("cp2112", "ft232h"), ::testing::Values("0", "300")),
                         [](const auto& info) {
                             return std::string(std::get<0>(info.param)) + "_cycle_" + std::get<1>(info.param) + "us";
                         });

// Unplug at every USB transfer of a 4 KiB read: the read ends with all of
// it right, or with ENODEV and the bytes it counts as done right; never
// wrong data. The CP2112 runs twice: device version 2 fetches the data with
// force-sends, version 3 has the chip send it by itself (Auto Send Read).
struct ReadCase {
    const char* name;
    const char* chip;
    const char* device_version;  // CP2112 only, else empty
};

class UnplugEepromRead : public ::testing::TestWithParam<ReadCase> {};

TEST_P(UnplugEepromRead, WhatIsReadIsRightUpToTheCount) {
    const ReadCase c = GetParam();
    Context ctx;
    std::map<std::string, std::string> s{{"eeprom-write-cycle-us", "0"}};
    if (*c.device_version) s["device-version"] = c.device_version;
    auto adapter = sim::attach(ctx, c.chip, settings(s)).value();
    Eeprom ee = bind_eeprom(ctx, *adapter);
    std::vector<uint8_t> image(kSize);
    for (std::size_t i = 0; i < kSize; ++i) image[i] = uint8_t(i * 13 + 5);
    ASSERT_TRUE(write_bounded(ee, image));
    std::vector<uint8_t> back(kSize);
    uint64_t before = adapter->transfer_count();
    ASSERT_TRUE(ee.read(0, back));
    ASSERT_EQ(back, image);
    const uint64_t transfers = adapter->transfer_count() - before;
    std::printf("%s: a 4 KiB read makes %llu USB transfers\n", c.name, (unsigned long long)transfers);

    for (uint64_t k = 1; k <= transfers + 1; k += kSanitizerStride) {
        SCOPED_TRACE("unplugged at transfer " + std::to_string(k));
        Device dev = adapter->devices().at(0);
        std::vector<uint8_t> got(kSize, 0xEE);
        before = adapter->transfer_count();
        adapter->unplug_at_transfer(k);
        auto f = std::async(std::launch::async, [&] { return ee.read(0, got); });
        if (f.wait_for(20s) != std::future_status::ready) std::abort();  // a hang: fail loudly
        const EepromIo io = f.get();
        if (adapter->transfer_count() - before < k) adapter->unplug();  // the read ended first
        EXPECT_TRUE(io.ok() || io.status.code() == std::errc::no_such_device)
            << (io.ok() ? "" : io.status.error().message);
        ASSERT_LE(io.done, kSize);
        ASSERT_TRUE(std::equal(got.begin(), got.begin() + std::ptrdiff_t(io.done), image.begin()))
            << "wrong data within the " << io.done << " bytes counted as read";
        ASSERT_TRUE(dev.wait_gone(20s));
        ASSERT_TRUE(adapter->plug());
        ee = bind_eeprom(ctx, *adapter);
    }
}

INSTANTIATE_TEST_SUITE_P(Chips, UnplugEepromRead,
                         ::testing::Values(ReadCase{"cp2112_v2", "cp2112", "2"}, ReadCase{"cp2112_v3", "cp2112", "3"},
                                           ReadCase{"ft232h", "ft232h", ""}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
