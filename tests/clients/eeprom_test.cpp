// SPDX-License-Identifier: Apache-2.0
// at24 EEPROMs bound with bind_client() on simulated adapters: round trips,
// progress and cancel, argument errors, binding errors, unbinding alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include <map>

#include "usbio/usbio.hpp"

using namespace usbio;

namespace {

std::vector<uint8_t> pattern(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> v(n);
    for (auto& b : v) b = uint8_t(rng());
    return v;
}

sim::Options settings(std::map<std::string, std::string> s) {
    sim::Options o;
    o.settings = std::move(s);
    return o;
}

struct Rig {
    Context ctx;
    std::shared_ptr<sim::Adapter> adapter;
    Device dev;

    explicit Rig(const char* chip, sim::Options options = {}) {
        adapter = sim::attach(ctx, chip, std::move(options)).value();
        dev = adapter->devices().at(0);
    }
};

class EepromOnSim : public ::testing::TestWithParam<const char*> {};

TEST_P(EepromOnSim, BindsThe24c32AndRoundTrips4KiB) {
    Rig rig(GetParam());
    auto client = bind_client(rig.ctx, rig.dev, "24c32", 0x50);
    ASSERT_TRUE(client) << client.error().message;
    EXPECT_EQ(client->info().driver, "at24");
    EXPECT_EQ(client->info().parent, rig.dev.info().id);
    EXPECT_EQ(client->info().id, rig.dev.info().id + "/i2c-0/0x50");
    EXPECT_EQ(client->info().description, "24c32 EEPROM at 0x50");
    EXPECT_EQ(client->info().simulated, true);
    ASSERT_EQ(client->eeprom_count(), 1u);
    auto ee = client->eeprom().value();
    const EepromInfo info = ee.info();
    EXPECT_EQ(info.type, "24c32");
    EXPECT_EQ(info.size, 4096u);
    EXPECT_EQ(info.page_size, 32u);
    EXPECT_EQ(info.addr, 0x50);
    EXPECT_NE(info.name.find("24c32 at 0x50 on"), std::string::npos) << info.name;

    const auto image = pattern(4096, 1);
    auto w = ee.write(0, image);
    ASSERT_TRUE(w) << w.status.error().message;
    EXPECT_EQ(w.done, 4096u);
    EXPECT_EQ(rig.adapter->eeprom_contents(), image);
    std::vector<uint8_t> back(4096);
    auto r = ee.read(0, back);
    ASSERT_TRUE(r) << r.status.error().message;
    EXPECT_EQ(r.done, 4096u);
    EXPECT_EQ(back, image);
}

TEST_P(EepromOnSim, RoundTrips64KiBOnA24c512) {
    // A short write cycle keeps the 512 pages quick; the 4 KiB test has the
    // realistic 5 ms.
    Rig rig(GetParam(), settings({{"eeprom-part", "24c512"}, {"eeprom-write-cycle-us", "300"}}));
    auto ee = bind_client(rig.ctx, rig.dev, "24c512", 0x50).value().eeprom().value();
    EXPECT_EQ(ee.info().size, 65536u);
    EXPECT_EQ(ee.info().page_size, 128u);
    const auto image = pattern(65536, 2);
    auto w = ee.write(0, image);
    ASSERT_TRUE(w) << w.status.error().message;
    EXPECT_EQ(w.done, image.size());
    EXPECT_EQ(rig.adapter->eeprom_contents(), image);
    std::vector<uint8_t> back(image.size());
    auto r = ee.read(0, back);
    ASSERT_TRUE(r) << r.status.error().message;
    EXPECT_EQ(back, image);
}

INSTANTIATE_TEST_SUITE_P(Chips, EepromOnSim, ::testing::Values("cp2112", "ft232h"));

// Each type against a model of that part: bytes land where the part keeps
// them (block bits in the I2C address for 24c04..24c16, one- or two-byte
// word addresses) and pages are never overrun.
TEST(EepromTypes, EveryTypeAddressesItsModel) {
    for (const auto& t : client_types()) {
        if (t.driver != "at24") continue;
        SCOPED_TRACE(t.name);
        Rig rig("cp2112", settings({{"eeprom-part", t.name}, {"eeprom-write-cycle-us", "100"}}));
        auto client = bind_client(rig.ctx, rig.dev, t.name, 0x50);
        ASSERT_TRUE(client) << client.error().message;
        auto ee = client->eeprom().value();
        const std::size_t size = ee.info().size;
        ASSERT_EQ(rig.adapter->eeprom_contents().size(), size);
        auto expect = rig.adapter->eeprom_contents();
        // The start, a span across the middle (a block boundary on one-byte
        // parts), the end; all of a part up to 2 KiB.
        std::vector<std::pair<std::size_t, std::size_t>> spans = {{0, 77}, {size / 2 - 45, 90}, {size - 61, 61}};
        if (size <= 2048) spans = {{0, size}};
        unsigned seed = 10;
        for (auto [at, n] : spans) {
            const auto data = pattern(n, seed++);
            auto w = ee.write(at, data);
            ASSERT_TRUE(w) << w.status.error().message;
            std::copy(data.begin(), data.end(), expect.begin() + std::ptrdiff_t(at));
        }
        EXPECT_EQ(rig.adapter->eeprom_contents(), expect);
        std::vector<uint8_t> back(size);
        auto r = ee.read(0, back);
        ASSERT_TRUE(r) << r.status.error().message;
        EXPECT_EQ(back, expect);
    }
}

TEST(EepromProgress, ReportsEachPieceAndCancels) {
    Rig rig("cp2112");
    auto ee = bind_client(rig.ctx, rig.dev, "24c32", 0x50).value().eeprom().value();
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    std::vector<uint8_t> buf(4096);
    auto r = ee.read(0, buf, [&](std::size_t done, std::size_t total) {
        calls.emplace_back(done, total);
        return true;
    });
    ASSERT_TRUE(r) << r.status.error().message;
    ASSERT_GE(calls.size(), 3u);
    EXPECT_EQ(calls.front(), std::make_pair(std::size_t(0), std::size_t(4096)));
    EXPECT_EQ(calls.back(), std::make_pair(std::size_t(4096), std::size_t(4096)));
    for (std::size_t i = 1; i < calls.size(); ++i) EXPECT_GT(calls[i].first, calls[i - 1].first);

    // Cancelled after 1 KiB: exactly that was read.
    auto c = ee.read(0, buf, [](std::size_t done, std::size_t) { return done < 1024; });
    ASSERT_FALSE(c);
    EXPECT_EQ(c.status.code(), std::errc::operation_canceled);
    EXPECT_EQ(c.done, 1024u);

    // A write cancelled after three pages wrote those three and nothing else.
    const auto before = rig.adapter->eeprom_contents();
    const auto data = pattern(512, 3);
    auto w = ee.write(0, data, [](std::size_t done, std::size_t) { return done < 96; });
    EXPECT_EQ(w.status.code(), std::errc::operation_canceled);
    EXPECT_EQ(w.done, 96u);
    auto expect = before;
    std::copy(data.begin(), data.begin() + 96, expect.begin());
    EXPECT_EQ(rig.adapter->eeprom_contents(), expect);
}

TEST(EepromProgress, TheCallbackMayRemoveTheAdapter) {
    Rig rig("cp2112");
    auto client = bind_client(rig.ctx, rig.dev, "24c32", 0x50).value();
    auto ee = client.eeprom().value();
    std::vector<uint8_t> buf(2048);
    Device adapter = rig.dev;
    auto r = ee.read(0, buf, [&](std::size_t done, std::size_t) {
        if (done == 512) adapter.remove();
        return true;
    });
    EXPECT_EQ(r.status.code(), std::errc::no_such_device);
    EXPECT_EQ(r.done, 512u);
    EXPECT_EQ(client.state(), DeviceState::gone);
}

TEST(EepromErrors, OutOfRangeIsEinvalNamingTheOffset) {
    Rig rig("cp2112");
    auto ee = bind_client(rig.ctx, rig.dev, "24c32", 0x50).value().eeprom().value();
    std::vector<uint8_t> buf(200);
    const uint64_t before = rig.adapter->transfer_count();
    auto r = ee.read(4000, buf);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.status.code(), std::errc::invalid_argument);
    EXPECT_EQ(r.done, 0u);
    EXPECT_NE(r.status.error().message.find("0x0fa0"), std::string::npos) << r.status.error().message;
    EXPECT_NE(r.status.error().message.find("24c32 at 0x50"), std::string::npos) << r.status.error().message;
    EXPECT_EQ(ee.write(4097, {}).status.code(), std::errc::invalid_argument);
    EXPECT_EQ(rig.adapter->transfer_count(), before);
    EXPECT_TRUE(ee.read(4096, {}));  // nothing, at the very end
}

TEST(EepromErrors, AWriteCycleThatNeverEndsTimesOut) {
    Rig rig("cp2112", settings({{"eeprom-write-cycle-us", "100000"}}));
    auto ee = bind_client(rig.ctx, rig.dev, "24c32", 0x50).value().eeprom().value();
    const uint8_t data[4] = {1, 2, 3, 4};
    auto w = ee.write(0x40, data);
    ASSERT_FALSE(w);
    EXPECT_EQ(w.status.code(), std::errc::timed_out);
    EXPECT_EQ(w.done, 0u);
    EXPECT_NE(w.status.error().message.find("0x50"), std::string::npos) << w.status.error().message;
    EXPECT_NE(w.status.error().message.find("0x0040"), std::string::npos) << w.status.error().message;
}

TEST(BindClient, RefusesUnknownTypesAndBadAddresses) {
    Rig rig("cp2112");
    auto r = bind_client(rig.ctx, rig.dev, "24c33", 0x50);
    EXPECT_EQ(r.code(), std::errc::invalid_argument);
    EXPECT_NE(r.error().message.find("24c32"), std::string::npos) << r.error().message;  // lists the types
    EXPECT_EQ(bind_client(rig.ctx, rig.dev, "24c32", 0x03).code(), std::errc::invalid_argument);
    EXPECT_EQ(bind_client(rig.ctx, rig.dev, "24c32", 0x80).code(), std::errc::invalid_argument);
    auto odd = bind_client(rig.ctx, rig.dev, "24c16", 0x51);
    EXPECT_EQ(odd.code(), std::errc::invalid_argument);
    EXPECT_NE(odd.error().message.find("0x50-0x57"), std::string::npos) << odd.error().message;
    EXPECT_EQ(bind_client(rig.ctx, rig.dev, "24c32", 0x50, 1).code(), std::errc::invalid_argument);  // no bus 1
    EXPECT_EQ(bind_client(rig.ctx, Device{}, "24c32", 0x50).code(), std::errc::no_such_device);
    const auto types = client_types();
    EXPECT_TRUE(std::any_of(types.begin(), types.end(), [](const ClientType& t) { return t.name == "m24512"; }));
}

TEST(BindClient, NothingAnsweringIsEnxio) {
    Rig rig("cp2112");
    auto r = bind_client(rig.ctx, rig.dev, "24c32", 0x51);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.code(), std::errc::no_such_device_or_address);
    EXPECT_NE(r.error().message.find("0x51"), std::string::npos) << r.error().message;
    EXPECT_EQ(rig.ctx.devices().size(), 1u);
    // The address was not kept.
    rig.adapter->set_nack(0x50, true);
    EXPECT_EQ(bind_client(rig.ctx, rig.dev, "24c32", 0x50).code(), std::errc::no_such_device_or_address);
    rig.adapter->set_nack(0x50, false);
    EXPECT_TRUE(bind_client(rig.ctx, rig.dev, "24c32", 0x50));
}

TEST(BindClient, OneClientPerAddressUntilItIsRemoved) {
    Rig rig("cp2112");
    auto first = bind_client(rig.ctx, rig.dev, "24c32", 0x50).value();
    auto second = bind_client(rig.ctx, rig.dev, "24c64", 0x50);
    EXPECT_EQ(second.code(), std::errc::device_or_resource_busy);
    EXPECT_NE(second.error().message.find("0x50"), std::string::npos) << second.error().message;
    first.remove();
    auto wide = bind_client(rig.ctx, rig.dev, "24c16", 0x50);  // 0x50-0x57
    ASSERT_TRUE(wide) << wide.error().message;
    EXPECT_EQ(bind_client(rig.ctx, rig.dev, "24c02", 0x53).code(), std::errc::device_or_resource_busy);
}

TEST(BindClient, UnbindingLeavesTheAdapterWorking) {
    Rig rig("cp2112");
    std::vector<std::string> removed;
    auto sub = rig.ctx.subscribe([&](const Event& e) {
        if (e.type == Event::Type::removed) removed.push_back(e.device.id);
    });
    auto client = bind_client(rig.ctx, rig.dev, "24c32", 0x50).value();
    EXPECT_EQ(rig.ctx.devices().size(), 2u);
    auto ee = client.eeprom().value();
    client.remove();
    EXPECT_EQ(client.state(), DeviceState::gone);
    EXPECT_TRUE(rig.dev.present());
    EXPECT_EQ(removed, std::vector<std::string>{client.info().id});
    const uint64_t before = rig.adapter->transfer_count();
    uint8_t b[8];
    EXPECT_EQ(ee.read(0, b).status.code(), std::errc::no_such_device);
    EXPECT_EQ(rig.adapter->transfer_count(), before);  // the adapter was not touched
    EXPECT_TRUE(rig.dev.i2c_bus().value().write_read(0x50, std::vector<uint8_t>{0, 0}, b));
}

}  // namespace
