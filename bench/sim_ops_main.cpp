// SPDX-License-Identifier: Apache-2.0
// Per-operation cost of core + the CP2112 driver on the simulated transport,
// with no USB below: what the stack itself adds to every call. For each
// operation it prints the median over rounds of the wall time per call, and
// the USB transfers one call issues (the sim adapter counts what the driver
// submits). A figure, not a test: it never fails on a time.
//
// Both device versions: 2 (force-sends) and 3 (Auto Send Read).
//
// usage: usbio_bench_sim_ops [--rounds N] [--calls N]
#include <usbio/usbio.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr uint16_t kEeprom = 0x50;
constexpr std::size_t kChunk = 512;  // the chip's largest read
constexpr std::size_t kEepromRead = 4096;

struct Op {
    const char* name;
    std::function<bool(std::string&)> call;  // false with a reason on failure
};

struct Figure {
    double median_ns = 0;
    double min_ns = 0;
    double transfers = 0;
};

// Runs `calls` calls per round for `rounds` rounds (after 10 unmeasured
// ones); the median and the least of the per-round means per call.
bool measure(const Op& op, usbio::sim::Adapter& adapter, int rounds, int calls, Figure& f, std::string& why) {
    for (int i = 0; i < 10; ++i)
        if (!op.call(why)) return false;
    std::vector<double> per_call;
    uint64_t transfers = 0;
    for (int r = 0; r < rounds; ++r) {
        const uint64_t before = adapter.transfer_count();
        const auto start = Clock::now();
        for (int i = 0; i < calls; ++i)
            if (!op.call(why)) return false;
        const auto ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
        transfers += adapter.transfer_count() - before;
        per_call.push_back(ns / calls);
    }
    std::sort(per_call.begin(), per_call.end());
    f.median_ns = per_call[per_call.size() / 2];
    f.min_ns = per_call.front();
    f.transfers = static_cast<double>(transfers) / (static_cast<double>(rounds) * calls);
    return true;
}

int arg_int(int argc, char** argv, const char* name, int def) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return std::max(1, std::atoi(argv[i + 1]));
    return def;
}

// One simulated CP2112 at `version`: 2 fetches read data with force-sends,
// 3 has the chip send it by itself (Auto Send Read).
int bench(const char* version, int rounds, int calls) {
    using namespace usbio;
    Context ctx;
    sim::Options options;
    options.settings["device-version"] = version;
    auto adapter = sim::attach(ctx, "cp2112", options);
    if (!adapter) {
        std::fprintf(stderr, "usbio_bench_sim_ops: %s\n", adapter.error().message.c_str());
        return 1;
    }
    auto dev = ctx.find((*adapter)->serial());
    auto chip = dev ? dev->gpio_chip(0) : Result<GpioChip>(dev.error());
    auto bus = dev ? dev->i2c_bus(0) : Result<I2cBus>(dev.error());
    if (!chip || !bus) {
        std::fprintf(stderr, "usbio_bench_sim_ops: %s\n", (!chip ? chip.error() : bus.error()).message.c_str());
        return 1;
    }
    RequestConfig rc;
    rc.consumer = "bench-sim-ops";
    LineSettings out;
    out.direction = Direction::output;
    rc.lines.push_back(LineConfig{0, out});
    rc.lines.push_back(LineConfig{1, LineSettings{}});
    auto lines = chip->request_lines(rc);
    if (!lines) {
        std::fprintf(stderr, "usbio_bench_sim_ops: %s\n", lines.error().message.c_str());
        return 1;
    }
    int level = 0;
    std::array<uint8_t, 32> small{};
    std::vector<uint8_t> big(kEepromRead);
    auto failed = [](const Error& e, std::string& why) {
        why = e.message;
        return false;
    };
    const std::vector<Op> ops = {
        {"gpio_set",
         [&](std::string& why) {
             level ^= 1;
             auto r = lines->set_value(0, level);
             return r ? true : failed(r.error(), why);
         }},
        {"gpio_get",
         [&](std::string& why) {
             auto r = lines->get_value(1);
             return r ? true : failed(r.error(), why);
         }},
        {"i2c_w2_r32",
         [&](std::string& why) {
             const std::array<uint8_t, 2> addr{0x00, 0x40};
             auto r = bus->write_read(kEeprom, addr, small);
             return r ? true : failed(r.error(), why);
         }},
        {"eeprom_4k_read",
         [&](std::string& why) {
             for (std::size_t off = 0; off < kEepromRead; off += kChunk) {
                 const std::array<uint8_t, 2> addr{uint8_t(off >> 8), uint8_t(off)};
                 auto r = bus->write_read(kEeprom, addr, std::span<uint8_t>(big.data() + off, kChunk));
                 if (!r) return failed(r.error(), why);
             }
             return true;
         }},
    };
    std::printf(
        "In-process cost of core + cp2112 driver (device version %s) on the sim transport (%d rounds x %d "
        "calls)\n",
        version, rounds, calls);
    std::printf("%-16s %14s %14s %16s\n", "operation", "median ns/op", "min ns/op", "transfers/op");
    for (const Op& op : ops) {
        Figure f;
        std::string why;
        const int n = std::strcmp(op.name, "eeprom_4k_read") == 0 ? std::max(1, calls / 20) : calls;
        if (!measure(op, **adapter, rounds, n, f, why)) {
            std::fprintf(stderr, "usbio_bench_sim_ops: %s failed: %s\n", op.name, why.c_str());
            return 1;
        }
        std::printf("%-16s %14.0f %14.0f %16.2f\n", op.name, f.median_ns, f.min_ns, f.transfers);
    }
    // The reads returned what the model holds: a fast wrong answer is no figure.
    const std::vector<uint8_t> want = (*adapter)->eeprom_contents();
    if (want.size() < kEepromRead || !std::equal(big.begin(), big.end(), want.begin())) {
        std::fprintf(stderr, "usbio_bench_sim_ops: the EEPROM read differs from the model's contents\n");
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = arg_int(argc, argv, "--rounds", 15);
    const int calls = arg_int(argc, argv, "--calls", 200);
    for (const char* version : {"2", "3"}) {
        if (int rc = bench(version, rounds, calls)) return rc;
        std::printf("\n");
    }
    return 0;
}
