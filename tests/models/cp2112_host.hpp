// SPDX-License-Identifier: Apache-2.0
// A minimal USB host for the CP2112 model in tests: it speaks to the model
// only through usb::DeviceModel, as the sim transport and FunctionFS do.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "models/cp2112_model.hpp"

namespace usbio::models::test {

struct Status {
    uint8_t s0 = 0xEE, s1 = 0xEE;
    uint16_t retries = 0, received = 0;
};

class Host {
public:
    explicit Host(usb::DeviceModel& device) : dev_(device) {}

    usb::ControlReply get_feature_raw(uint8_t id, uint16_t length) {
        return dev_.control({0xA1, 0x01, uint16_t(0x0300 | id), 0, length}, {});
    }
    std::vector<uint8_t> get_feature(uint8_t id, uint16_t length) {
        auto r = get_feature_raw(id, length);
        EXPECT_FALSE(r.stall) << "GET_REPORT 0x" << std::hex << int(id);
        return r.data;
    }
    // True when the device accepted the report (no STALL).
    bool set_feature(const std::vector<uint8_t>& report) {
        const uint16_t id = report.empty() ? 0 : report[0];
        return !dev_.control({0x21, 0x09, uint16_t(0x0300 | id), 0, uint16_t(report.size())}, report).stall;
    }
    void out(const std::vector<uint8_t>& report) { EXPECT_TRUE(dev_.out_packet(0x01, report)); }
    std::optional<std::vector<uint8_t>> in() { return dev_.in_packet(0x81); }

    // Transfer Status Request and its response.
    Status status() {
        out({0x15, 0x01});
        auto r = in();
        if (!r) {
            ADD_FAILURE() << "no transfer status response";
            return {};
        }
        EXPECT_EQ(r->size(), 64u);
        EXPECT_EQ((*r)[0], 0x16);
        return {(*r)[1], (*r)[2], uint16_t((*r)[3] << 8 | (*r)[4]), uint16_t((*r)[5] << 8 | (*r)[6])};
    }
    // Polls the status, as a driver does, until it is no longer Busy.
    Status wait_done(std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        Status s = status();
        while (s.s0 == 0x01 && std::chrono::steady_clock::now() < deadline) s = status();
        return s;
    }

    // Requests.
    void read(uint8_t addr7, uint16_t n) { out({0x10, uint8_t(addr7 << 1), uint8_t(n >> 8), uint8_t(n)}); }
    void write_read(uint8_t addr7, const std::vector<uint8_t>& w, uint16_t n) {
        std::vector<uint8_t> r = {0x11, uint8_t(addr7 << 1), uint8_t(n >> 8), uint8_t(n), uint8_t(w.size())};
        r.insert(r.end(), w.begin(), w.end());
        out(r);
    }
    void write(uint8_t addr7, const std::vector<uint8_t>& data) {
        std::vector<uint8_t> r = {0x14, uint8_t(addr7 << 1), uint8_t(data.size())};
        r.insert(r.end(), data.begin(), data.end());
        out(r);
    }
    // Force Send and the Data Read Response it brings.
    std::optional<std::vector<uint8_t>> force_send(uint16_t n) {
        out({0x12, uint8_t(n >> 8), uint8_t(n)});
        return in();
    }
    // Collects read data with Force Send, 61 bytes at a time.
    std::vector<uint8_t> fetch(std::size_t n) {
        std::vector<uint8_t> data;
        while (data.size() < n) {
            auto r = force_send(uint16_t(n - data.size()));
            if (!r || (*r)[0] != 0x13 || (*r)[2] == 0 || (*r)[2] > 61) {
                ADD_FAILURE() << "bad data read response";
                break;
            }
            data.insert(data.end(), r->begin() + 3, r->begin() + 3 + (*r)[2]);
        }
        return data;
    }
    void set_smbus(const cp2112::SmbusConfig& c) {
        const auto r = c.encode();
        EXPECT_TRUE(set_feature({r.begin(), r.end()}));
    }

private:
    usb::DeviceModel& dev_;
};

}  // namespace usbio::models::test
