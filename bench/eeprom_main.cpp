// SPDX-License-Identifier: Apache-2.0
// 4 KiB EEPROM read and write through the at24 client on simulated adapters:
// the time one whole-memory read or write of a 24C32 takes with usbio (core,
// the at24 driver and the adapter's driver on the sim transport), and the
// USB transfers it makes. Writes include the part's write cycles (5 ms per
// page, as the datasheet gives, unless --cycle-us says otherwise). A figure,
// not a test: it never fails on a time.
//
// usage: usbio_bench_eeprom [--rounds N] [--cycle-us N]
#include <usbio/usbio.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Figure {
    double median_ms = 0;
    double min_ms = 0;
    double transfers = 0;
};

usbio::sim::Options settings(std::map<std::string, std::string> s) {
    usbio::sim::Options o;
    o.settings = std::move(s);
    return o;
}

template <class Op>
bool measure(usbio::sim::Adapter& adapter, int rounds, Op op, Figure& f) {
    std::vector<double> ms;
    uint64_t transfers = 0;
    for (int r = 0; r < rounds; ++r) {
        const uint64_t before = adapter.transfer_count();
        const auto start = Clock::now();
        if (!op()) return false;
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        transfers += adapter.transfer_count() - before;
    }
    std::sort(ms.begin(), ms.end());
    f.median_ms = ms[ms.size() / 2];
    f.min_ms = ms.front();
    f.transfers = double(transfers) / rounds;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    int rounds = 5;
    std::string cycle = "5000";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--rounds"))
            rounds = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--cycle-us"))
            cycle = argv[i + 1];
    }
    std::printf("4 KiB 24C32 on simulated adapters, write cycle %s us, median of %d (min)\n", cycle.c_str(), rounds);
    std::printf("%-8s %-6s %12s %12s %10s\n", "adapter", "op", "median ms", "min ms", "transfers");
    for (const char* chip : {"cp2112", "ft232h"}) {
        usbio::Context ctx;
        auto adapter = usbio::sim::attach(ctx, chip, settings({{"eeprom-write-cycle-us", cycle}}));
        if (!adapter) {
            std::fprintf(stderr, "%s\n", adapter.error().message.c_str());
            return 1;
        }
        auto client = usbio::bind_client(ctx, (*adapter)->devices().at(0), "24c32", 0x50);
        if (!client) {
            std::fprintf(stderr, "%s\n", client.error().message.c_str());
            return 1;
        }
        auto ee = client->eeprom().value();
        std::vector<uint8_t> buf(4096);
        for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = uint8_t(i * 13);
        Figure rd, wr;
        std::string why;
        auto check = [&](const usbio::EepromIo& io) {
            if (!io) why = io.status.error().message;
            return io.ok();
        };
        if (!measure(
                **adapter, rounds, [&] { return check(ee.write(0, buf)); }, wr) ||
            !measure(
                **adapter, rounds, [&] { return check(ee.read(0, buf)); }, rd)) {
            std::fprintf(stderr, "%s: %s\n", chip, why.c_str());
            return 1;
        }
        std::printf("%-8s %-6s %12.2f %12.2f %10.0f\n", chip, "read", rd.median_ms, rd.min_ms, rd.transfers);
        std::printf("%-8s %-6s %12.2f %12.2f %10.0f\n", chip, "write", wr.median_ms, wr.min_ms, wr.transfers);
    }
    return 0;
}
