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
        if (e.sim_model) with_model.emplace_back(e.products.front().chip);
    EXPECT_EQ(sim::supported_chips(), with_model);
    ASSERT_FALSE(with_model.empty());

    Context ctx;
    for (const auto& chip : with_model) {
        const drivers::DriverEntry* entry = drivers::find_sim_chip(chip);
        ASSERT_NE(entry, nullptr) << chip;
        auto adapter = sim::attach(ctx, chip);
        ASSERT_TRUE(adapter.ok()) << adapter.error().message;
        EXPECT_EQ((*adapter)->chip(), chip);
        const Device dev = ctx.find((*adapter)->serial()).value();
        EXPECT_EQ(dev.info().driver, entry->name);
        EXPECT_EQ(dev.info().vid, entry->products.front().vid);
        EXPECT_EQ(dev.info().pid, entry->products.front().pid);
        EXPECT_TRUE(dev.info().simulated);

        // The generic adapter's plug cycle works for every chip.
        (*adapter)->unplug();
        EXPECT_TRUE(dev.wait_gone(5s)) << chip;
        auto again = (*adapter)->plug();
        ASSERT_TRUE(again.ok()) << again.error().message;
        EXPECT_EQ(again->info().id, dev.info().id) << "same port, same interface";
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
