// SPDX-License-Identifier: Apache-2.0
// The driver table is the one list of chips: the USB host's supported chips,
// the simulated chips and the adapters they make all come from it.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "table/driver_table.hpp"
#include "usbio/sim.hpp"
#include "usbio/usb.hpp"

namespace usbio::test {
namespace {

using namespace std::chrono_literals;

TEST(DriverTable, EveryEntryIsWellFormed) {
    std::set<std::pair<uint16_t, uint16_t>> ids;
    std::set<std::string> chips;
    for (const auto& e : drivers::driver_table()) {
        EXPECT_FALSE(std::string(e.name).empty());
        EXPECT_FALSE(e.products.empty()) << e.name;
        // A model is only attachable through a driver.
        if (e.sim_model) {
            EXPECT_NE(e.probe, nullptr) << e.name;
        }
        for (const auto& p : e.products) {
            EXPECT_TRUE(ids.insert({p.vid, p.pid}).second) << p.chip << ": VID:PID listed twice";
            EXPECT_TRUE(chips.insert(p.chip).second) << p.chip << ": chip listed twice";
            EXPECT_FALSE(p.interfaces.empty()) << p.chip;
        }
    }
}

TEST(DriverTable, UsbSupportedChipsAreItsProductsInOrder) {
    const auto supported = usb::supported_chips();
    std::size_t i = 0;
    for (const auto& e : drivers::driver_table()) {
        for (const auto& p : e.products) {
            ASSERT_LT(i, supported.size());
            const auto& c = supported[i++];
            EXPECT_EQ(c.chip, p.chip);
            EXPECT_EQ(c.driver, e.name);
            EXPECT_EQ(c.vid, p.vid);
            EXPECT_EQ(c.pid, p.pid);
            EXPECT_EQ(c.interfaces, std::vector<int>(p.interfaces.begin(), p.interfaces.end()));
            EXPECT_EQ(c.has_driver, e.probe != nullptr);
        }
    }
    EXPECT_EQ(i, supported.size());
}

TEST(DriverTable, EverySimulatedChipAttachesWithItsDriver) {
    std::vector<std::string> with_model;
    for (const auto& e : drivers::driver_table())
        if (e.sim_model && e.probe)
            for (const auto& p : e.products) with_model.emplace_back(p.chip);
    EXPECT_EQ(sim::supported_chips(), with_model);
    ASSERT_FALSE(with_model.empty());

    Context ctx;
    for (const auto& chip : with_model) {
        const drivers::SimChip found = drivers::find_sim_chip(chip);
        ASSERT_NE(found.entry, nullptr) << chip;
        auto adapter = sim::attach(ctx, chip);
        ASSERT_TRUE(adapter.ok()) << adapter.error().message;
        EXPECT_EQ((*adapter)->chip(), chip);
        // One device per interface the product lists, as on real USB.
        const auto devs = (*adapter)->devices();
        ASSERT_EQ(devs.size(), found.product->interfaces.size()) << chip;
        for (std::size_t i = 0; i < devs.size(); ++i) {
            const DeviceInfo info = devs[i].info();
            EXPECT_EQ(info.driver, found.entry->name);
            EXPECT_EQ(info.vid, found.product->vid);
            EXPECT_EQ(info.pid, found.product->pid);
            EXPECT_TRUE(info.simulated);
            EXPECT_EQ(info.id.substr(info.id.size() - 2), "." + std::to_string(found.product->interfaces[i]))
                << info.id;
        }

        // The generic adapter's plug cycle works for every chip.
        (*adapter)->unplug();
        for (const auto& d : devs) EXPECT_TRUE(d.wait_gone(5s)) << chip;
        auto again = (*adapter)->plug();
        ASSERT_TRUE(again.ok()) << again.error().message;
        EXPECT_EQ(again->info().id, devs.front().info().id) << "same port, same interface";
        EXPECT_EQ((*adapter)->devices().size(), devs.size());
        EXPECT_TRUE((*adapter)->plugged());
    }
}

TEST(DriverTable, SimIdsAreUniquePerAdapter) {
    Context ctx;
    auto a = sim::attach(ctx, "cp2112").value();
    auto b = sim::attach(ctx, "cp2112").value();
    const auto ia = ctx.find(a->serial()).value().info();
    const auto ib = ctx.find(b->serial()).value().info();
    EXPECT_NE(ia.id, ib.id);
    EXPECT_EQ(ia.id.substr(ia.id.size() - 4), ":1.0") << ia.id;
}

}  // namespace
}  // namespace usbio::test
