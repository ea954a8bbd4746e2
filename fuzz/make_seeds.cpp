// SPDX-License-Identifier: Apache-2.0
// Writes the seed corpora: make_seeds OUTDIR writes OUTDIR/<target>/<name>
// for the three fuzz targets. The driver seeds are whole conversations with
// a well-behaved chip (device_script.hpp), so that fuzzing starts past the
// probe and inside complete I2C transactions; a few stop replying, reply
// late or leave, to start from the timeout, cancel and removal paths.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include "device_script.hpp"
#include "driver_ops.hpp"

namespace {

namespace fs = std::filesystem;
using namespace usbio::fuzz::script;
using Bytes = std::vector<uint8_t>;

using enum usbio::fuzz::DriverOp;

// A chip answering the way the driver expects, plus the operations.
struct Conversation {
    Bytes dev;
    Bytes ops;  // in reading order; stored reversed at the end of the file
    uint8_t direction = 0, push_pull = 0, special = 0, latch = 0;

    explicit Conversation(uint8_t identity = 0) { dev.push_back(identity); }

    void put(std::initializer_list<uint8_t> b) { dev.insert(dev.end(), b); }
    void put(const Bytes& b) { dev.insert(dev.end(), b.begin(), b.end()); }
    void op(std::initializer_list<uint8_t> b) { ops.insert(ops.end(), b); }

    // A control IN (feature report) answered in full.
    void feature(const Bytes& report) {
        dev.push_back(action(Completion::ok, 0));
        dev.push_back(static_cast<uint8_t>(report.size()));
        put(report);
    }
    // A control or interrupt OUT accepted, followed by `reports` input reports.
    void accept(unsigned reports = 0) { dev.push_back(action(Completion::ok, reports)); }
    void input_report(const Bytes& r, InKind kind = InKind::report) {
        dev.push_back(static_cast<uint8_t>(kind));
        dev.push_back(static_cast<uint8_t>(r.size()));
        put(r);
    }
    void status(uint8_t state, uint8_t detail, uint16_t received) {
        accept(1);
        input_report({0x16, state, detail, 0, 1, static_cast<uint8_t>(received >> 8), static_cast<uint8_t>(received)});
    }

    void probe(uint8_t device_version = 2) {
        feature({0x05, 0x0C, device_version});
        feature({0x06, 0x00, 0x01, 0x86, 0xA0, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01});
        // The SMBus configuration is taken; the chip then sends the two
        // stale reports the driver settles away.
        accept(2);
        input_report({0x16, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
        input_report({0x13, 0x00, 0x00});
    }

    void gpio_config_reply() { feature({0x02, direction, push_pull, special, 0x00}); }

    // Chip::configure as the driver runs it.
    void configure(unsigned offset, bool output, bool pp) {
        const auto bit = static_cast<uint8_t>(1u << offset);
        gpio_config_reply();
        const uint8_t sp = offset == 0 ? 0x02 : offset == 1 ? 0x04 : offset == 7 ? 0x01 : 0;
        if (special & sp) return;  // refused (EBUSY): the line serves its special function
        const uint8_t nd = output ? (direction | bit) : (direction & ~bit);
        const uint8_t np = pp ? (push_pull | bit) : (push_pull & ~bit);
        const bool was_output = (direction & bit) != 0;
        const bool changed = nd != direction || np != push_pull;
        if (output && was_output) accept();
        if (changed) accept();
        if (output && !was_output) accept();
        direction = nd, push_pull = np;
    }

    // A transaction the chip completes: the request, one status poll, and
    // for reads the data in pieces of at most 61 bytes.
    void transaction(std::size_t read_length, unsigned busy_polls = 0) {
        accept();
        for (unsigned i = 0; i < busy_polls; ++i) status(1, 0, 0);
        status(2, 5, static_cast<uint16_t>(read_length));
        for (std::size_t got = 0; got < read_length;) {
            const std::size_t n = std::min<std::size_t>(read_length - got, 61);
            Bytes r{0x13, 0x02, static_cast<uint8_t>(n)};
            for (std::size_t i = 0; i < n; ++i) r.push_back(static_cast<uint8_t>(got + i));
            accept(1);
            input_report(r);
            got += n;
        }
    }

    Bytes bytes() const {
        Bytes out = dev;
        out.insert(out.end(), ops.rbegin(), ops.rend());
        return out;
    }
};

void write(const fs::path& dir, const std::string& name, const Bytes& b) {
    fs::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

void driver_seeds(const fs::path& dir) {
    {
        Conversation c;
        c.probe();
        write(dir, "probe", c.bytes());
    }
    {
        Conversation c(identity::no_out_endpoint | identity::usb_path);
        c.probe(1);  // no repeated START: write-then-read is refused
        c.op({i2c_write, 0x50, 2});
        c.transaction(0);
        c.op({write_read, 0x50, 1, 3, 0});
        write(dir, "probe_v1_no_out_endpoint", c.bytes());
    }
    {
        Conversation c;
        c.probe();
        c.op({line_info, 3});
        c.gpio_config_reply();
        c.feature({0x03, 0x5A});
        c.op({request_lines, 1, 0x08 | 0x40 | 5, 0x02});  // 5: output high; 2: input
        c.configure(5, true, true);
        c.configure(2, false, true);
        c.op({get_values});
        c.feature({0x03, 0x24});
        c.op({set_values, 0x01});            // GPIO.2 is an input: refused by core
        c.op({request_lines, 0, 0x08 | 5});  // GPIO.5 alone, already an output
        c.configure(5, true, true);
        c.op({set_values, 0x01});
        c.accept();
        c.op({line_info, 5});
        c.gpio_config_reply();
        c.feature({0x03, 0x20});
        write(dir, "gpio_lines", c.bytes());
    }
    {
        Conversation c;
        c.probe();
        c.op({request_lines, 0, 0x08 | 0x10 | 0});  // GPIO.0: open-drain output, refused: it is the TX LED
        c.special = 0x07;
        c.configure(0, true, false);
        c.op({request_lines, 0, 0x08 | 2});  // GPIO.2 is a plain line
        c.configure(2, true, true);
        write(dir, "gpio_special_function", c.bytes());
    }
    {
        Conversation c;
        c.probe();
        c.op({i2c_write, 0x50, 3});
        c.transaction(0);
        c.op({i2c_read, 0x50, 7, 0});  // 8 bytes
        c.transaction(8);
        write(dir, "i2c_write_read_separately", c.bytes());
    }
    {
        Conversation c;
        c.probe();
        c.op({i2c_read, 0x50, 129, 0});  // 130 bytes: three pieces
        c.transaction(130, 3);
        write(dir, "i2c_read_130_busy", c.bytes());
    }
    {
        Conversation c;
        c.probe();
        c.op({write_read, 0x48, 1, 1, 0});  // one byte out, two in
        c.transaction(2);
        c.op({smbus, 0x48, 3, 0x00});  // read_word_data
        c.transaction(2);
        c.op({smbus, 0x48, 5, 0x10});  // read_block_data: 33 bytes
        c.transaction(33);
        c.op({smbus, 0x48, 6 + 8 * 4, 0x20});  // write_block_data of 4 bytes (38 % 34)
        c.transaction(0);
        write(dir, "smbus", c.bytes());
    }
    {
        Conversation c;
        c.probe();
        c.op({bitrate, 200});  // set 400 kHz
        c.feature({0x06, 0x00, 0x01, 0x86, 0xA0, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01});
        c.accept();
        c.op({bitrate, 1});  // read it back
        c.feature({0x06, 0x00, 0x06, 0x1A, 0x80, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01});
        write(dir, "bitrate", c.bytes());
    }
    {
        Conversation c;
        c.probe();
        c.op({i2c_read, 0x51, 0, 0});
        c.accept();
        c.status(3, 0, 0);  // address NACK
        c.op({i2c_write, 0x51, 1});
        c.accept();
        c.status(3, 4, 0);  // write incomplete
        write(dir, "i2c_nack", c.bytes());
    }
    {
        // The status reply never comes: the driver waits out its budget,
        // cancels the transfer, and the reply owed arrives with the next.
        Conversation c;
        c.probe();
        c.op({i2c_read, 0x50, 3, 0});
        c.accept();
        c.accept();  // status request, no reply
        c.accept();  // cancel
        c.op({i2c_read, 0x50, 3, 0});
        c.accept();
        c.dev.push_back(action(Completion::ok, 2));  // the owed status, then this one's
        c.input_report({0x16, 0x02, 0x05, 0, 1, 0, 4});
        c.input_report({0x16, 0x02, 0x05, 0, 1, 0, 4});
        c.accept(1);
        c.input_report({0x13, 0x02, 0x04, 1, 2, 3, 4});
        write(dir, "i2c_reply_withheld", c.bytes());
    }
    {
        // A reply that comes one request late, and a control transfer the
        // device never completes (the transport's own timeout and cancel).
        Conversation c;
        c.probe();
        c.op({i2c_read, 0x50, 1, 0});
        c.accept();
        c.dev.push_back(action(Completion::ok, 1));
        c.input_report({0x16, 0x02, 0x05, 0, 1, 0, 2}, InKind::late);
        c.accept();
        c.op({line_info, 1});
        c.dev.push_back(action(Completion::withhold, 0));
        write(dir, "late_reply_and_withheld_control", c.bytes());
    }
    {
        Conversation c;
        c.probe();
        c.op({i2c_read, 0x50, 99, 0});
        c.accept();
        c.status(2, 5, 100);
        Bytes piece{0x13, 0x02, 61};
        piece.resize(3 + 61, 0xAA);
        c.accept(1);
        c.input_report(piece);
        c.dev.push_back(action(Completion::unplug, 0));
        c.op({i2c_read, 0x50, 0, 0});
        write(dir, "unplug_during_read", c.bytes());
    }
    {
        Conversation c;
        c.probe();
        c.op({i2c_write, 0x50, 1});
        c.transaction(0);
        c.op({remove});
        c.op({i2c_write, 0x50, 1});
        write(dir, "remove_then_write", c.bytes());
    }
    {
        Conversation c;
        c.probe();
        c.op({transfer, 1, 0x50, 0x00, 2, 0x03, 33});  // write 2, then a block read
        c.transaction(33);
        write(dir, "transfer_block_read", c.bytes());
    }
}

void report_seeds(const fs::path& dir) {
    write(dir, "version", {0x05, 0x0C, 0x02});
    write(dir, "smbus_config", {0x06, 0x00, 0x01, 0x86, 0xA0, 0x02, 0x00, 0x00, 0x64, 0x00, 0x64, 0x01, 0x00, 0x01});
    write(dir, "gpio_config", {0x02, 0xF0, 0x0F, 0x07, 0x00});
    write(dir, "gpio_values", {0x03, 0xA5});
    write(dir, "status_complete", {0x16, 0x02, 0x05, 0x00, 0x01, 0x00, 0x08});
    write(dir, "status_error", {0x16, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00});
    Bytes rr{0x13, 0x02, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x10};
    write(dir, "read_response", rr);
    Bytes full{0x13, 0x01, 61};
    for (int i = 0; i < 61; ++i) full.push_back(static_cast<uint8_t>(i));
    full.push_back(0x3F);
    write(dir, "read_response_61", full);
}

void cli_seeds(const fs::path& dir) {
    auto text = [&](const std::string& name, uint8_t mode, const std::string& s) {
        Bytes b{mode};
        b.insert(b.end(), s.begin(), s.end());
        write(dir, name, b);
    };
    using namespace std::string_literals;
    text("long_hex", 0, "0x7f");
    text("long_octal", 0, "017");
    text("in_range_byte", 0x21, "0xff");
    text("in_range_word_decimal", 0xc1, "65535");
    text("decimal", 2, "1000");
    text("chip_address", 3, "0x50");
    text("chip_address_all", 0x83, "0x03");
    text("seconds", 4, "0.25");
    text("transfer_read", 5, "r1@0x50");
    text("transfer_write_read", 5,
         "w2@0x50\0"s
         "0x00\0"s
         "0x10\0"s
         "r4");
    text("transfer_fill", 5,
         "w8@0x20\0"s
         "0x01+\0"s
         "r?@0x21");
    text("transfer_pseudo_random", 0x85,
         "w16@0x03\0"s
         "0x05p");
    text("transfer_repeat", 5,
         "w4@0x50\0"s
         "0x00\0"s
         "0xff=\0"s
         "r2");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR (e.g. fuzz/corpus)\n", argv[0]);
        return 2;
    }
    const fs::path out = argv[1];
    driver_seeds(out / "cp2112_driver_fuzz");
    report_seeds(out / "cp2112_reports_fuzz");
    cli_seeds(out / "cli_parsers_fuzz");
    return 0;
}
