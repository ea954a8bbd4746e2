// SPDX-License-Identifier: Apache-2.0
#include "scenario_ops.hpp"

#include <algorithm>
#include <cerrno>
#include <memory>

namespace usbio::hw {

std::vector<uint8_t> eeprom_address(const BenchConfig& c, unsigned offset) {
    if (c.eeprom_addr_bytes == 1) return {static_cast<uint8_t>(offset)};
    return {static_cast<uint8_t>(offset >> 8), static_cast<uint8_t>(offset)};
}

Caller::Op eeprom_reader(I2cBus bus, const BenchConfig& c, unsigned offset, std::size_t length) {
    const std::size_t max = bus.info().max_read;
    if (max) length = std::min(length, max);
    auto buf = std::make_shared<std::vector<uint8_t>>(length);
    return [bus, buf, addr = *c.eeprom_addr, at = eeprom_address(c, offset)](std::string& msg) mutable {
        auto r = bus.write_read(addr, at, *buf);
        if (!r) msg = r.error().message;
        return r.code();
    };
}

Caller::Op sensor_reader(I2cBus bus, uint16_t addr) {
    return [bus, addr](std::string& msg) mutable {
        const uint8_t pointer = 0;
        uint8_t t[2];
        auto r = bus.write_read(addr, std::span<const uint8_t>(&pointer, 1), t);
        if (!r) msg = r.error().message;
        return r.code();
    };
}

RequestConfig loopback_request(const LoopbackPair& p, Edge edge, std::string consumer) {
    RequestConfig rc;
    rc.consumer = std::move(consumer);
    LineSettings out;
    out.direction = Direction::output;
    out.output_value = false;
    LineSettings in;
    in.direction = Direction::input;
    in.edge = edge;
    rc.lines.push_back({p.out, out});
    rc.lines.push_back({p.in, in});
    return rc;
}

Caller::Op loopback_toggler(LineRequest req, LoopbackPair pair) {
    auto level = std::make_shared<int>(0);
    return [req, pair, level](std::string& msg) mutable {
        *level ^= 1;
        if (auto r = req.set_value(pair.out, *level); !r) {
            msg = r.error().message;
            return r.code();
        }
        auto v = req.get_value(pair.in);
        if (!v) {
            msg = v.error().message;
            return v.code();
        }
        if (*v != *level) {
            msg = "loopback mismatch: GPIO." + std::to_string(pair.out) + " driven " + std::to_string(*level) +
                  ", GPIO." + std::to_string(pair.in) + " reads " + std::to_string(*v);
            return std::error_code(EIO, std::generic_category());
        }
        return std::error_code{};
    };
}

Caller::Op edge_waiter(LineRequest req, std::chrono::milliseconds timeout) {
    return [req, timeout](std::string& msg) mutable {
        auto r = req.wait_edge_events(timeout);
        if (!r) msg = r.error().message;
        return r.code();
    };
}

}  // namespace usbio::hw
