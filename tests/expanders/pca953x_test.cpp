// SPDX-License-Identifier: Apache-2.0
// The PCA9555 driver against the PCA9555 model at 0x20 on a simulated
// adapter's bus: what the chip's registers hold after each call, what the
// pins read, and one bus transaction per read or write.
#include <gtest/gtest.h>

#include "expander_rig.hpp"

namespace usbio::test {
namespace {

using namespace std::chrono_literals;
using models::Pca953x;

constexpr uint16_t kAddr = 0x20;

class Pca9555Test : public ::testing::Test {
protected:
    void SetUp() override { bind(); }
    void bind() {
        auto d = rig.bind(pca953x::pca953x_entry(), "pca9555", kAddr);
        ASSERT_TRUE(d.ok()) << d.error().message;
        dev = d.value();
        chip = dev.gpio_chip().value();
    }
    Result<LineRequest> request(std::vector<LineConfig> lines) {
        RequestConfig rc;
        rc.consumer = "test";
        rc.lines = std::move(lines);
        rc.edge_poll_period = 1ms;
        return chip.request_lines(rc);
    }
    Rig rig;
    Device dev;
    GpioChip chip;
};

TEST_F(Pca9555Test, ChipNamesLinesAsTheDataSheetAndLeavesThePinsAlone) {
    const ChipInfo info = chip.info();
    EXPECT_EQ(info.name, "pca9555-0x20");
    EXPECT_EQ(info.label, "pca9555");
    ASSERT_EQ(info.num_lines, 16u);
    EXPECT_EQ(chip.line_info(0)->name, "IO0_0");
    EXPECT_EQ(chip.line_info(15)->name, "IO1_7");
    EXPECT_EQ(chip.find_line("IO1_0"), 8u);
    EXPECT_EQ(dev.info().parent, rig.dev.info().id);
    for (unsigned i = 0; i < 16; ++i) EXPECT_EQ(chip.line_info(i)->direction, Direction::input) << i;
    // Binding read the registers and changed none.
    EXPECT_EQ(rig.expander->reg16(Pca953x::kOutput), 0xFFFF);
    EXPECT_EQ(rig.expander->reg16(Pca953x::kConfig), 0xFFFF);
}

TEST(Pca9555Bind, NothingAtTheAddressIsEnxioNamingAdapterAndAddress) {
    Rig rig;
    auto d = rig.bind(pca953x::pca953x_entry(), "pca9555", 0x27);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.code(), errc(ENXIO));
    EXPECT_NE(d.error().message.find("pca9555"), std::string::npos) << d.error().message;
    EXPECT_NE(d.error().message.find("0x27"), std::string::npos) << d.error().message;
    EXPECT_NE(d.error().message.find(rig.dev.info().display_name()), std::string::npos) << d.error().message;
}

TEST_F(Pca9555Test, OutputsSetTheOutputThenTheConfigurationRegister) {
    auto r = request({line(0, Direction::output, true), line(9, Direction::output, false)});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(rig.expander->reg16(Pca953x::kConfig), uint16_t(~0x0201));
    EXPECT_EQ(rig.expander->reg16(Pca953x::kOutput) & 0x0201, 0x0001);
    EXPECT_EQ(rig.expander->pin_levels() & 0x0201, 0x0001);
    EXPECT_EQ(chip.line_info(9)->direction, Direction::output);
    EXPECT_EQ(chip.line_info(9)->drive, Drive::push_pull);

    const uint64_t before = rig.expander->transactions();
    ASSERT_TRUE(r->set_values({0, 1}).ok());
    EXPECT_EQ(rig.expander->transactions() - before, 1u) << "both output ports in one write";
    EXPECT_EQ(rig.expander->pin_levels() & 0x0201, 0x0200);
    EXPECT_EQ(r->get_values().value(), (std::vector<int>{0, 1}));
    // The other lines' output bits stay as they were (1 at power-on).
    EXPECT_EQ(rig.expander->reg16(Pca953x::kOutput), uint16_t(~0x0001));
}

TEST_F(Pca9555Test, ReadingAllLinesIsOneTransaction) {
    std::vector<LineConfig> lines;
    for (unsigned i = 0; i < 16; ++i) lines.push_back(line(i, Direction::input));
    auto r = request(lines);
    ASSERT_TRUE(r.ok()) << r.error().message;
    rig.expander->set_external(3, 0);
    rig.expander->set_external(12, 0);
    const uint64_t before = rig.expander->transactions();
    auto v = r->get_values();
    ASSERT_TRUE(v.ok()) << v.error().message;
    EXPECT_EQ(rig.expander->transactions() - before, 1u);
    for (unsigned i = 0; i < 16; ++i) EXPECT_EQ((*v)[i], (i == 3 || i == 12) ? 0 : 1) << i;
}

TEST(Pca9555Bind, AdapterWithoutRepeatedStartReadsInTwoTransactions) {
    Rig rig(false, 1);
    auto d = rig.bind(pca953x::pca953x_entry(), "pca9555", kAddr);
    ASSERT_TRUE(d.ok()) << d.error().message;
    auto chip = d->gpio_chip().value();
    RequestConfig rc;
    rc.lines = {line(4, Direction::input)};
    auto r = chip.request_lines(rc);
    ASSERT_TRUE(r.ok()) << r.error().message;
    rig.expander->set_external(4, 0);
    const uint64_t before = rig.expander->transactions();
    EXPECT_EQ(r->get_value(4).value(), 0);
    EXPECT_EQ(rig.expander->transactions() - before, 2u) << "command write, STOP, then the read";
}

TEST(Pca9555Bind, PolarityInversionIsClearedSoLevelsArePhysical) {
    Rig rig;
    rig.expander->set_reg16(Pca953x::kPolarity, 0x00F0);
    auto d = rig.bind(pca953x::pca953x_entry(), "pca9555", kAddr);
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_EQ(rig.expander->reg16(Pca953x::kPolarity), 0);
    RequestConfig rc;
    rc.lines = {line(4, Direction::input), line(5, Direction::input)};
    rc.lines[1].settings.active_low = true;  // core's inversion, not the chip's
    auto r = d->gpio_chip()->request_lines(rc);
    ASSERT_TRUE(r.ok()) << r.error().message;
    rig.expander->set_external(4, 0);
    rig.expander->set_external(5, 0);
    EXPECT_EQ(r->get_values().value(), (std::vector<int>{0, 1}));
    EXPECT_EQ(rig.expander->reg16(Pca953x::kPolarity), 0);
}

TEST_F(Pca9555Test, OpenDrainIsNotSupportedAndSaysWhichLine) {
    auto r = request({line(6, Direction::output, false, Edge::none, Drive::open_drain)});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EOPNOTSUPP));
    EXPECT_NE(r.error().message.find("IO0_6"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("open-drain"), std::string::npos) << r.error().message;
    EXPECT_EQ(rig.expander->reg16(Pca953x::kConfig), 0xFFFF);  // nothing changed
}

TEST_F(Pca9555Test, RebindKeepsTheOutputs) {
    auto r = request({line(2, Direction::output, false)});
    ASSERT_TRUE(r.ok()) << r.error().message;
    r->release();
    dev.remove();
    bind();
    EXPECT_EQ(chip.line_info(2)->direction, Direction::output);
    EXPECT_EQ(rig.expander->pin_levels() & 0x4, 0);
}

TEST_F(Pca9555Test, EdgesBySamplingTheInputPorts) {
    auto r = request({line(5, Direction::input, false, Edge::both), line(13, Direction::input, false, Edge::both)});
    ASSERT_TRUE(r.ok()) << r.error().message;
    rig.expander->set_external(13, 0);
    auto ev = r->wait_edge_events(2s);
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    ASSERT_EQ(ev->size(), 1u);
    EXPECT_EQ((*ev)[0].offset, 13u);
    EXPECT_EQ((*ev)[0].type, EdgeEvent::Type::falling);
    rig.expander->set_external(13, 1);
    ev = r->wait_edge_events(2s);
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    ASSERT_EQ(ev->size(), 1u);
    EXPECT_EQ((*ev)[0].offset, 13u);
    EXPECT_EQ((*ev)[0].type, EdgeEvent::Type::rising);
}

TEST(Pca9555Ftdi, WorksOnAnFt232hBusToo) {
    Rig rig(true);
    auto d = rig.bind(pca953x::pca953x_entry(), "pca9555", kAddr);
    ASSERT_TRUE(d.ok()) << d.error().message;
    RequestConfig rc;
    rc.lines = {line(1, Direction::output, true), line(10, Direction::input)};
    auto r = d->gpio_chip()->request_lines(rc);
    ASSERT_TRUE(r.ok()) << r.error().message;
    rig.expander->set_external(10, 0);
    EXPECT_EQ(r->get_values().value(), (std::vector<int>{1, 0}));
    ASSERT_TRUE(r->set_value(1, 0).ok());
    EXPECT_EQ(rig.expander->pin_levels() & 0x2, 0);
    EXPECT_EQ(rig.expander->reg16(Pca953x::kConfig), uint16_t(~0x2));
}

}  // namespace
}  // namespace usbio::test
