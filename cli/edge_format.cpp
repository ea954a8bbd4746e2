// SPDX-License-Identifier: Apache-2.0
#include "edge_format.hpp"

#include <cstdio>

#include "output.hpp"

namespace usbio::cli {

namespace {

constexpr long kNsPerSecond = 1'000'000'000;

bool is_rising(const EdgeEvent& e) { return e.type == EdgeEvent::Type::rising; }

}  // namespace

std::string edge_line(const EdgeEvent& e) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "event: %s offset: %u timestamp: [%8lld.%09lld]",
                  is_rising(e) ? " RISING EDGE" : "FALLING EDGE", e.offset,
                  static_cast<long long>(e.timestamp_ns / kNsPerSecond),
                  static_cast<long long>(e.timestamp_ns % kNsPerSecond));
    return buf;
}

std::string edge_custom_line(const std::string& fmt, const EdgeEvent& e) {
    std::string out;
    for (std::size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != '%') {
            out += fmt[i];
            continue;
        }
        if (i + 1 == fmt.size()) {
            out += '%';
            break;
        }
        const char spec = fmt[++i];
        switch (spec) {
        case 'o': out += std::to_string(e.offset); break;
        case 'e': out += is_rising(e) ? '1' : '0'; break;
        case 's': out += std::to_string(e.timestamp_ns / kNsPerSecond); break;
        case 'n': out += std::to_string(e.timestamp_ns % kNsPerSecond); break;
        case '%': out += '%'; break;
        default: out += '%'; out += spec;
        }
    }
    return out;
}

std::string edge_json(const EdgeEvent& e) {
    return json_text({{"event", is_rising(e) ? "rising" : "falling"},
                      {"offset", e.offset},
                      {"timestamp_ns", e.timestamp_ns},
                      {"seqno", e.seqno}});
}

}  // namespace usbio::cli
