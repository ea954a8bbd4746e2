// SPDX-License-Identifier: Apache-2.0
// compare_ftdi: the cost of each I2C ACK-check mode on an FTDI MPSSE
// adapter, through usbio on libusb (the FT232H model on the virtual bench):
// USB round trips per transfer (the gadget's count of OUT transfers) and the time of a
// transfer, for (a) a 32-byte write, (b) a 2-byte write, repeated START and
// a 256-byte read, (c) a 4 KiB EEPROM read, in at_end and each_byte modes.
//   compare_ftdi --serial SERIAL --counters FILE [--ms-per-op MS]
// Prints VBENCH-RESULT compare.ftdi.<mode>.<op>.<key> lines (results.hpp);
// exit 0 when every call gave the right data.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "results.hpp"
#include "timing.hpp"
#include "traffic_counters.hpp"
#include "usbio/usbio.hpp"

namespace usbio::compare {
namespace {

constexpr uint16_t kEeprom = 0x50;
constexpr std::size_t kImage = 4096;
constexpr std::size_t kPage = 32;
constexpr unsigned kCountedCalls = 3;

struct Op {
    const char* key;
    std::function<int()> call;
};

struct Bench {
    I2cBus bus;
    std::vector<uint8_t> image;
    std::string last_error;

    int fail_with(const Error& e) {
        last_error = e.message;
        return e.code.value() ? e.code.value() : EIO;
    }
    int check(const Result<void>& r) { return r ? 0 : fail_with(r.error()); }

    // The EEPROM holds `image`; every operation keeps it so.
    int fill() {
        for (std::size_t at = 0; at < kImage; at += kPage) {
            std::vector<uint8_t> w = {uint8_t(at >> 8), uint8_t(at)};
            w.insert(w.end(), image.begin() + long(at), image.begin() + long(at + kPage));
            if (int e = check(bus.write(kEeprom, w))) return e;
        }
        return 0;
    }
    int read_back(std::size_t at, std::size_t n) {
        const uint8_t addr[2] = {uint8_t(at >> 8), uint8_t(at)};
        std::vector<uint8_t> got(n);
        if (int e = check(bus.write_read(kEeprom, addr, got))) return e;
        if (std::memcmp(got.data(), image.data() + at, n) != 0) {
            last_error = "read at " + std::to_string(at) + " gave other data than the EEPROM holds";
            return EBADMSG;
        }
        return 0;
    }
    // (a) 32 bytes on the bus after the address: the word address and 30
    // data bytes, the ones already there.
    int write32() {
        constexpr std::size_t at = 0x40;
        std::vector<uint8_t> w = {uint8_t(at >> 8), uint8_t(at)};
        w.insert(w.end(), image.begin() + long(at), image.begin() + long(at + 30));
        return check(bus.write(kEeprom, w));
    }
};

bool counts(const std::string& file, vbench::TrafficCounts& out) {
    std::string error;
    if (vbench::TrafficCounters::read(file, out, error)) return true;
    fail("compare_ftdi: transfer counters: " + error);
    return false;
}

std::string arg(int argc, char** argv, const char* name, const char* fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
    return fallback;
}

}  // namespace
}  // namespace usbio::compare

int main(int argc, char** argv) {
    using namespace usbio;
    using namespace usbio::compare;
    const std::string serial = arg(argc, argv, "--serial", "");
    const std::string counters = arg(argc, argv, "--counters", "");
    const long ms = std::strtol(arg(argc, argv, "--ms-per-op", "1500").c_str(), nullptr, 10);
    if (serial.empty() || counters.empty() || ms <= 0) {
        std::fprintf(stderr, "usage: compare_ftdi --serial SERIAL --counters FILE [--ms-per-op MS]\n");
        return 2;
    }

    Context ctx;
    auto host = usb::attach(ctx, usb::Options{});
    if (!host) {
        fail("compare_ftdi: " + host.error().message);
        return 1;
    }
    Result<Device> dev = ctx.find(serial);
    for (int i = 0; i < 100 && !dev; ++i) {
        (void)host.value()->settle(std::chrono::milliseconds(100));
        dev = ctx.find(serial);
    }
    if (!dev) {
        fail("compare_ftdi: " + dev.error().message);
        return 1;
    }
    Bench b;
    auto bus = dev->i2c_bus();
    if (!bus) {
        fail("compare_ftdi: " + bus.error().message);
        return 1;
    }
    b.bus = bus.value();
    b.image.resize(kImage);
    for (std::size_t i = 0; i < kImage; ++i) b.image[i] = uint8_t(i * 7 + 3);
    if (b.fill() != 0 || b.read_back(0, kImage) != 0) {
        fail("compare_ftdi: filling the EEPROM: " + b.last_error);
        return 1;
    }
    auto hz = b.bus.bitrate();
    result("ftdi", "adapter", dev->info().display_name() + ", bus at " + (hz ? std::to_string(*hz) : "?") + " Hz");

    const Op ops[] = {
        {"write32", [&] { return b.write32(); }},
        {"write2_read256", [&] { return b.read_back(0x100, 256); }},
        {"eeprom_read4k", [&] { return b.read_back(0, kImage); }},
    };
    Budget budget;
    budget.time = std::chrono::milliseconds(ms);
    budget.min_reps = 5;
    budget.max_reps = 500;
    bool ok = true;
    for (AckCheck mode : {AckCheck::at_end, AckCheck::each_byte}) {
        if (auto r = b.bus.set_ack_check(mode); !r) {
            fail("compare_ftdi: " + r.error().message);
            return 1;
        }
        for (const Op& op : ops) {
            const std::string key = std::string(to_string(mode)) + "." + op.key;
            vbench::TrafficCounts before, after;
            if (!counts(counters, before)) return 1;
            for (unsigned i = 0; i < kCountedCalls; ++i) {
                if (op.call() != 0) {
                    fail("compare_ftdi: " + key + ": " + b.last_error);
                    return 1;
                }
            }
            if (!counts(counters, after)) return 1;
            const auto d = after - before;
            char trips[64];
            std::snprintf(trips, sizeof trips, "%.2f", double(d.out_transfers) / kCountedCalls);
            result("ftdi", key + ".round_trips", trips);
            const Run run = measure(budget, op.call, [&] { return b.last_error; });
            const Summary s = summarize({run});
            result("ftdi", key + ".timing", format(s));
            if (s.failures != 0) {
                fail("compare_ftdi: " + key + ": " + std::to_string(s.failures) + " failed calls: " + s.first_error);
                ok = false;
            }
        }
    }
    return ok ? 0 : 1;
}
