// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the CP2112 driver, probed through core on a transport whose
// device is the input (device_script.hpp), then driven through the public
// GPIO and I2C API by operations read from the back of the input:
//
//   op byte % kOps, then its parameter bytes (see run_op)
//
// Time is virtual (virtual_clock.hpp): a withheld reply costs the driver
// its whole timeout in no real time. Checks, besides the sanitizers: every
// error is one the API documents, no call takes longer than its bound, and
// the driver sends only well-formed reports (the transport checks those).
//
// USBIO_FUZZ_TRACE=1 prints each operation and its result to stderr.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "byte_source.hpp"
#include "cp2112/probe.hpp"
#include "driver_ops.hpp"
#include "scripted_transport.hpp"
#include "usbio/usbio.hpp"
#include "virtual_clock.hpp"

namespace {

using namespace usbio;
using usbio::fuzz::ByteSource;
using Clock = std::chrono::steady_clock;

// The longest any one call may take (virtual time). The slowest failing
// call: an I2C transfer that uses up its budget (under 3 s for 512 bytes at
// 10 kHz), then a cancel report the device never completes (cut after 2 s:
// timeout, grace and cancel grace), after 0.1 s for a reply still owed.
// A call fails at its first failed transfer, so none adds up more.
constexpr std::chrono::seconds kCallLimit{10};

const bool g_trace = std::getenv("USBIO_FUZZ_TRACE") != nullptr;

bool allowed(int e, std::initializer_list<int> set) {
    for (int x : set)
        if (x == e) return true;
    return false;
}

// Fails the run when a call took too long or failed with an error the API
// does not document for it.
template <class R>
void check(const char* what, Clock::time_point start, const R& r, std::initializer_list<int> errors) {
    const auto took = Clock::now() - start;
    if (g_trace)
        std::fprintf(stderr, "%s: %s (%lld us)\n", what, r.ok() ? "ok" : r.error().message.c_str(),
                     static_cast<long long>(std::chrono::duration_cast<std::chrono::microseconds>(took).count()));
    if (took > kCallLimit) {
        std::fprintf(stderr, "%s took %lld ms (virtual)\n", what,
                     static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
        std::abort();
    }
    if (!r.ok() && !allowed(r.code().value(), errors)) {
        std::fprintf(stderr, "%s failed with an undocumented error: %s\n", what, r.error().message.c_str());
        std::abort();
    }
}

// What an I2C call may fail with (I2cOps::transfer and I2cBus).
const std::initializer_list<int> kI2cErrors = {ENXIO, ETIMEDOUT, EIO, EPROTO, EOPNOTSUPP, EINVAL, ENODEV};
const std::initializer_list<int> kGpioErrors = {ETIMEDOUT, EIO,   EPROTO, EOPNOTSUPP, EINVAL,
                                                ENODEV,    EBUSY, EBADF,  EPERM};

struct Session {
    ByteSource& src;
    Device dev;
    GpioChip gpio;
    I2cBus bus;
    std::optional<LineRequest> lines;

    uint8_t b() { return src.take_back(); }
    // Little-endian, low byte read first.
    unsigned b16() {
        const unsigned lo = b();
        const unsigned hi = b();
        return lo | hi << 8;
    }

    std::vector<uint8_t> pattern(std::size_t n) {
        std::vector<uint8_t> v(n);
        for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 7 + 1);
        return v;
    }

    void run_op(unsigned op);
};

void Session::run_op(unsigned op) {
    const auto t0 = Clock::now();
    switch (op) {
    case fuzz::DriverOp::line_info: {  // line info: offset 0-8 (8 is out of range)
        check("line_info", t0, gpio.line_info(b() % 9), kGpioErrors);
        break;
    }
    case fuzz::DriverOp::request_lines: {  // request one or two lines: settings byte per line
        if (lines) lines->release();
        lines.reset();
        RequestConfig cfg;
        cfg.consumer = "fuzz";
        const unsigned n = 1 + b() % 2;
        for (unsigned i = 0; i < n; ++i) {
            const uint8_t s = b();
            LineConfig lc;
            lc.offset = s & 7;
            lc.settings.direction = (s & 0x08) ? Direction::output : Direction::input;
            lc.settings.drive = static_cast<Drive>((s >> 4) % 3);
            lc.settings.output_value = (s & 0x40) != 0;
            lc.settings.active_low = (s & 0x80) != 0;
            cfg.lines.push_back(lc);
        }
        auto r = gpio.request_lines(cfg);
        check("request_lines", t0, r, kGpioErrors);
        if (r.ok()) lines = r.value();
        break;
    }
    case fuzz::DriverOp::get_values:  // read the requested lines
        if (lines) check("get_values", t0, lines->get_values(), kGpioErrors);
        break;
    case fuzz::DriverOp::set_values: {  // drive the requested lines: bit n is the value of line n
        const uint8_t v = b();
        if (!lines) break;
        std::vector<int> values;
        for (std::size_t i = 0; i < lines->offsets().size(); ++i) values.push_back((v >> i) & 1);
        check("set_values", t0, lines->set_values(values), kGpioErrors);
        break;
    }
    case fuzz::DriverOp::i2c_write: {  // write: address, length 0-63 (0 and 62-63 are refused)
        const uint8_t addr = b() & 0x7f;
        const auto data = pattern(b() % 64);
        check("i2c write", t0, bus.write(addr, data), kI2cErrors);
        break;
    }
    case fuzz::DriverOp::i2c_read: {  // read: address, length 1-520 (two bytes)
        const uint8_t addr = b() & 0x7f;
        std::vector<uint8_t> in(1 + b16() % 520);
        check("i2c read", t0, bus.read(addr, in), kI2cErrors);
        break;
    }
    case fuzz::DriverOp::write_read: {  // write then read: address, write 0-17, read 1-520
        const uint8_t addr = b() & 0x7f;
        const auto out = pattern(b() % 18);
        std::vector<uint8_t> in(1 + b16() % 520);
        check("i2c write_read", t0, bus.write_read(addr, out, in), kI2cErrors);
        break;
    }
    case fuzz::DriverOp::smbus: {  // SMBus helpers: address, which, command
        const uint8_t addr = b() & 0x7f;
        const uint8_t which = b();
        const uint8_t cmd = b();
        switch (which % 8) {
        case 0: check("read_byte", t0, bus.read_byte(addr), kI2cErrors); break;
        case 1: check("write_byte", t0, bus.write_byte(addr, cmd), kI2cErrors); break;
        case 2: check("read_byte_data", t0, bus.read_byte_data(addr, cmd), kI2cErrors); break;
        case 3: check("read_word_data", t0, bus.read_word_data(addr, cmd), kI2cErrors); break;
        case 4: check("write_word_data", t0, bus.write_word_data(addr, cmd, 0xBEEF), kI2cErrors); break;
        case 5: {
            auto r = bus.read_block_data(addr, cmd);
            check("read_block_data", t0, r, kI2cErrors);
            if (r.ok() && r.value().size() > 32) {
                std::fprintf(stderr, "read_block_data returned %zu bytes\n", r.value().size());
                std::abort();
            }
            break;
        }
        case 6: check("write_block_data", t0, bus.write_block_data(addr, cmd, pattern(which % 34)), kI2cErrors); break;
        case 7: {
            std::vector<uint8_t> in(1 + which % 40);
            check("read_i2c_block_data", t0, bus.read_i2c_block_data(addr, cmd, in), kI2cErrors);
            break;
        }
        }
        break;
    }
    case fuzz::DriverOp::bitrate: {  // bus clock: set (0-255 x 2 kHz, outside the range too) or read
        const uint8_t v = b();
        if (v & 1)
            check("bitrate", t0, bus.bitrate(), kI2cErrors);
        else
            check("set_bitrate", t0, bus.set_bitrate(v * 2000u), kI2cErrors);
        break;
    }
    case fuzz::DriverOp::transfer: {  // a combined transfer of 1-3 messages: flags and length per message
        const unsigned n = 1 + b() % 3;
        std::vector<std::vector<uint8_t>> bufs;
        std::vector<I2cMsg> msgs;
        const uint8_t addr = b() & 0x7f;
        for (unsigned i = 0; i < n; ++i) {
            const uint8_t f = b();
            bufs.push_back(pattern(b() % 40));
            I2cMsg m;
            m.addr = (f & 0x80) ? static_cast<uint16_t>(addr ^ 1) : addr;
            m.flags = static_cast<uint16_t>(((f & 1) ? I2cMsg::read : 0) | ((f & 2) ? I2cMsg::recv_len : 0));
            msgs.push_back(m);
        }
        for (unsigned i = 0; i < n; ++i) msgs[i].buf = bufs[i];
        check("i2c transfer", t0, bus.transfer(msgs), kI2cErrors);
        break;
    }
    case fuzz::DriverOp::remove:  // removal while in use: every later call fails with ENODEV
        dev.remove();
        if (g_trace) std::fprintf(stderr, "removed\n");
        break;
    }
}

constexpr unsigned kOps = 11;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    ByteSource src(data, size);
    usbio::fuzz::virtual_clock::Scope virtual_time;
    Context ctx;
    auto transport = std::make_unique<usbio::fuzz::ScriptedTransport>(src);
    auto departed = std::make_shared<std::atomic<bool>>(false);
    transport->on_disconnect([departed] { departed->store(true); });

    const auto t0 = Clock::now();
    usbio::driver::DeviceSlot slot(ctx);
    auto published = cp2112::probe(slot, std::move(transport));
    check("probe", t0, published, {EPROTO, EIO, ETIMEDOUT, ENODEV});
    if (!published) return 0;

    Session s{src, *published, {}, {}, {}};
    auto g = s.dev.gpio_chip();
    auto bus = s.dev.i2c_bus();
    if (!g.ok() || !bus.ok()) std::abort();  // probe publishes both
    s.gpio = g.value();
    s.bus = bus.value();
    while (src.back_left()) {
        s.run_op(src.take_back() % kOps);
        // What the departure latch does on a disconnect, done here on this
        // thread so the run stays deterministic.
        if (departed->load()) s.dev.remove();
    }
    if (s.lines) s.lines->release();
    return 0;
}
