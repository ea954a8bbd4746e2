// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the CP2112 report parsers and builders (cp2112/reports.hpp).
// The input is a report as a device might send it; its first byte also sets
// the parameters the builders and parse_read_response take. Checks, besides
// the sanitizers: what a parser accepts it describes faithfully, and a
// built report parses back to what it was built from.
#include <cstdio>
#include <cstdlib>
#include <span>

#include "cp2112/reports.hpp"

namespace {

using namespace usbio::cp2112;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "report check failed: %s\n", what);
    std::abort();
}

void check_read_response(std::span<const uint8_t> r, std::size_t max_count) {
    ReadResponse rr;
    if (parse_read_response(r, max_count, rr)) return;
    if (rr.data.empty() || rr.data.size() > max_count || rr.data.size() > kMaxReadChunk)
        fail("read response data length out of bounds");
    if (rr.data.data() != r.data() + report::read_response_header || rr.data.size() != r[2])
        fail("read response data is not the report's payload");
    if (static_cast<uint8_t>(rr.state) > static_cast<uint8_t>(XferState::error)) fail("read response state");
}

void check_status(std::span<const uint8_t> r) {
    TransferStatus st;
    if (parse_transfer_status(r, st)) return;
    if (st.received > kMaxRead) fail("status reports more than the chip can buffer");
    if (static_cast<uint8_t>(st.state) > static_cast<uint8_t>(XferState::error)) fail("status state");
}

void check_feature_round_trips(std::span<const uint8_t> r) {
    SmbusConfig cfg;
    if (!parse_smbus_config(r, cfg)) {
        SmbusConfig again;
        if (parse_smbus_config(build_smbus_config(cfg), again) || again.clock_hz != cfg.clock_hz ||
            again.own_address != cfg.own_address || again.auto_send_read != cfg.auto_send_read ||
            again.write_timeout_ms != cfg.write_timeout_ms || again.read_timeout_ms != cfg.read_timeout_ms ||
            again.scl_low_timeout != cfg.scl_low_timeout || again.retry_limit != cfg.retry_limit)
            fail("SMBus configuration does not round-trip");
    }
    GpioConfig g;
    if (!parse_gpio_config(r, g)) {
        GpioConfig again;
        if (parse_gpio_config(build_gpio_config(g), again) || again.direction != g.direction ||
            again.push_pull != g.push_pull || again.special != g.special || again.clock_divider != g.clock_divider)
            fail("GPIO configuration does not round-trip");
    }
    uint8_t values = 0;
    (void)parse_gpio_values(r, values);
    VersionInfo v;
    (void)parse_version(r, v);
}

// Output reports built from the input's bytes: lengths and layout.
void check_builders(std::span<const uint8_t> r) {
    const uint8_t p = r.empty() ? 0 : r[0];
    const uint8_t addr = p & 0x7f;
    const std::span<const uint8_t> out = r.first(std::min<std::size_t>(r.size(), kMaxWriteBeforeRead));
    const std::size_t read_len = 1 + (r.size() * 37) % kMaxRead;
    const auto wr = build_write_read_request(addr, out, read_len);
    if (wr.size() != 5 + out.size() || wr[0] != report::write_read_request || wr[1] != (addr << 1) ||
        static_cast<std::size_t>(wr[2] << 8 | wr[3]) != read_len || wr[4] != out.size())
        fail("write-read request layout");
    const std::span<const uint8_t> data = r.first(std::min<std::size_t>(r.size(), kMaxWrite));
    const auto w = build_write(addr, data);
    if (w.size() != 3 + data.size() || w[2] != data.size() || w.size() > report::max_len) fail("write request layout");
    const auto rd = build_read_request(addr, read_len);
    if (rd.size() != 4 || static_cast<std::size_t>(rd[2] << 8 | rd[3]) != read_len) fail("read request layout");
    const auto fs = build_force_send(1 + p % kMaxReadChunk);
    if (fs.size() != 3 || static_cast<std::size_t>(fs[1] << 8 | fs[2]) != 1 + p % kMaxReadChunk)
        fail("force send layout");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::span<const uint8_t> r(data, size);
    const std::size_t max_count = size > 1 ? 1 + data[size - 1] % 64 : kMaxReadChunk;
    check_read_response(r, max_count);
    check_status(r);
    check_feature_round_trips(r);
    check_builders(r);
    const uint8_t first = size ? data[0] : 0;
    if (special_bit_for(first) != 0 && first != 0 && first != 1 && first != 7) fail("special function of a plain GPIO");
    if (is_input_report(first) != (first == report::read_response || first == report::status_response))
        fail("input report ids");
    return 0;
}
