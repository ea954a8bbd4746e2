// SPDX-License-Identifier: Apache-2.0
// usbio i2c transfer: one combined transfer, as i2ctransfer sends it.
#include <algorithm>
#include <cstdio>
#include <ostream>
#include <string>

#include "adapter.hpp"
#include "commands.hpp"
#include "i2c_common.hpp"
#include "numbers.hpp"
#include "output.hpp"
#include "transfer_parse.hpp"

namespace usbio::cli {

namespace {

// Bytes that carry data: a variable-length read holds its count byte
// plus that many bytes.
std::size_t shown_length(const MessageSpec& m) {
    if (!m.recv_len) return m.buf.size();
    return std::min<std::size_t>(m.buf[0], m.buf.size() - 1) + 1;
}

std::string bytes_text(const MessageSpec& m, std::size_t len) {
    std::vector<std::string> words;
    for (std::size_t i = 0; i < len; ++i) words.push_back(hex2(m.buf[i]));
    return join(words, " ");
}

// "msg 0: addr 0x50, write, len 2, buf 0x00 0x00"; read buffers only when
// `with_reads` (before the transfer there is nothing to show).
std::string header_line(const MessageSpec& m, std::size_t index, bool with_reads) {
    std::string line =
        "msg " + std::to_string(index) + ": addr " + hex2(m.addr) + ", " + (m.read ? "read" : "write") + ", len ";
    std::size_t len = with_reads || !m.recv_len ? shown_length(m) : 0;
    line += (m.recv_len && !with_reads) ? "TBD" : std::to_string(len);
    if (len && (!m.read || with_reads)) line += ", buf " + bytes_text(m, len);
    return line;
}

}  // namespace

int run_i2c_transfer(App& app, const Args& args) {
    const CommandSpec spec{"i2c transfer", "[-y] [-v] [-a] ADAPTER DESC [DATA] [DESC [DATA]]...",
                           "Sends I2C messages as one combined transfer (repeated START between\n"
                           "messages, STOP at the end), as i2ctransfer does.\n"
                           "DESC is {r|w}LENGTH[@ADDRESS]: read or write LENGTH bytes (a read may use\n"
                           "'?' for an SMBus-block-style length); ADDRESS defaults to the previous\n"
                           "message's. A write is followed by LENGTH data bytes; the last one given may\n"
                           "end in = (repeat), + (count up), - (count down) or p (pseudo-random) to\n"
                           "fill the rest. Each read prints one line of 0x.. bytes.\n"
                           "Example: usbio i2c transfer 0 w2@0x50 0x00 0x00 r8",
                           2};
    po::options_description opts("Options");
    add_common_i2c_options(opts);
    opts.add_options()("verbose,v", po::bool_switch(), "print every message, written bytes included");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;
    const std::optional<AckCheck> ack = ack_check_option(*parsed);

    auto msgs =
        parse_messages(Args(parsed->positional.begin() + 1, parsed->positional.end()), parsed->flag("all-addresses"));

    // One address is "the" address of the transfer; several are none.
    if (std::all_of(msgs.begin(), msgs.end(), [&](const auto& m) { return m.addr == msgs.front().addr; }))
        app.where.address = msgs.front().addr;
    Device dev = find_adapter(app, parsed->positional[0]);
    I2cBus bus = open_i2c_bus(dev, *parsed, ack);
    std::vector<std::string> plan{"I will send the following messages to " + adapter_name(dev) + ":"};
    for (std::size_t i = 0; i < msgs.size(); ++i) plan.push_back(header_line(msgs[i], i, false));
    confirm(app, parsed->flag("yes"), plan, false);

    std::vector<I2cMsg> wire;
    for (auto& m : msgs) {
        I2cMsg w;
        w.addr = m.addr;
        w.flags = static_cast<uint16_t>((m.read ? I2cMsg::read : 0) | (m.recv_len ? I2cMsg::recv_len : 0));
        w.buf = m.buf;
        wire.push_back(w);
    }
    check(bus.transfer(wire));

    if (app.json) {
        Json items = Json::array();
        for (const auto& m : msgs) {
            std::vector<uint8_t> data(m.buf.begin(), m.buf.begin() + static_cast<std::ptrdiff_t>(shown_length(m)));
            items.push_back({{"addr", m.addr}, {"direction", m.read ? "read" : "write"}, {"data", data}});
        }
        app.out << json_text({{"adapter", dev.info().id}, {"messages", items}}) << "\n";
        return 0;
    }
    for (std::size_t i = 0; i < msgs.size(); ++i) {
        if (parsed->flag("verbose"))
            app.out << header_line(msgs[i], i, true) << "\n";
        else if (msgs[i].read)
            app.out << bytes_text(msgs[i], shown_length(msgs[i])) << "\n";
    }
    return 0;
}

}  // namespace usbio::cli
