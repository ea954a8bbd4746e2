// SPDX-License-Identifier: Apache-2.0
// The PCF8574/PCF8575 driver against the PCF857x model on a simulated
// adapter's bus: the latch the chip holds after each call, what the
// quasi-bidirectional pins read, one bus transaction per read or write.
#include <gtest/gtest.h>

#include "expander_rig.hpp"

namespace usbio::test {
namespace {

using namespace std::chrono_literals;

constexpr uint16_t kAddr = 0x38;

class Pcf8574Test : public ::testing::Test {
protected:
    void SetUp() override {
        before_bind = rig.pcf->transactions();
        auto d = rig.bind(pcf857x::pcf857x_entry(), "pcf8574a", kAddr);
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
    uint64_t before_bind = 0;
    Device dev;
    GpioChip chip;
};

TEST_F(Pcf8574Test, BindingReadsOnceAndWritesNothing) {
    EXPECT_EQ(rig.pcf->transactions() - before_bind, 1u);
    EXPECT_EQ(rig.pcf->latch(), 0xFF);
    const ChipInfo info = chip.info();
    EXPECT_EQ(info.name, "pcf8574a-0x38");
    EXPECT_EQ(info.label, "pcf8574a");
    ASSERT_EQ(info.num_lines, 8u);
    EXPECT_EQ(chip.line_info(0)->name, "P0");
    EXPECT_EQ(chip.line_info(7)->name, "P7");
    EXPECT_EQ(chip.line_info(7)->direction, Direction::input);
}

TEST_F(Pcf8574Test, OutputLowPullsThePinLowAndReportsOpenDrain) {
    auto r = request({line(2, Direction::output, false)});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(rig.pcf->latch(), 0xFB);
    EXPECT_EQ(rig.pcf->pin_levels() & 0x04, 0);
    const LineInfo li = chip.line_info(2).value();
    EXPECT_EQ(li.direction, Direction::output);
    EXPECT_EQ(li.drive, Drive::open_drain);
    // Something outside driving high loses against the chip's low.
    rig.pcf->set_external(2, 1);
    EXPECT_EQ(r->get_value(2).value(), 0);
}

TEST_F(Pcf8574Test, AHighOutputIsOnlyPulledUpSoTheWorldCanPullItLow) {
    auto r = request({line(4, Direction::output, true)});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(rig.pcf->latch(), 0xFF);
    EXPECT_EQ(r->get_value(4).value(), 1);
    rig.pcf->set_external(4, 0);
    EXPECT_EQ(r->get_value(4).value(), 0);
    rig.pcf->set_external(4, -1);
    EXPECT_EQ(r->get_value(4).value(), 1);
}

TEST_F(Pcf8574Test, InputsReadTheWorldOrThePullUp) {
    std::vector<LineConfig> lines;
    for (unsigned i = 0; i < 8; ++i) lines.push_back(line(i, Direction::input));
    auto r = request(lines);
    ASSERT_TRUE(r.ok()) << r.error().message;
    rig.pcf->set_external(1, 0);
    rig.pcf->set_external(6, 1);
    const uint64_t before = rig.pcf->transactions();
    auto v = r->get_values();
    ASSERT_TRUE(v.ok()) << v.error().message;
    EXPECT_EQ(rig.pcf->transactions() - before, 1u) << "every line in one plain read";
    EXPECT_EQ(*v, (std::vector<int>{1, 0, 1, 1, 1, 1, 1, 1}));
}

TEST_F(Pcf8574Test, AnOutputTurnedInputIsReleased) {
    auto r = request({line(3, Direction::output, false)});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(rig.pcf->latch(), 0xF7);
    r->release();
    auto in = request({line(3, Direction::input)});
    ASSERT_TRUE(in.ok()) << in.error().message;
    EXPECT_EQ(rig.pcf->latch(), 0xFF);
    EXPECT_EQ(in->get_value(3).value(), 1);
    EXPECT_EQ(chip.line_info(3)->direction, Direction::input);
}

TEST_F(Pcf8574Test, SetIsOneWriteOfTheWholeLatch) {
    auto r = request({line(0, Direction::output, true), line(5, Direction::output, true)});
    ASSERT_TRUE(r.ok()) << r.error().message;
    const uint64_t before = rig.pcf->transactions();
    ASSERT_TRUE(r->set_values({0, 0}).ok());
    EXPECT_EQ(rig.pcf->transactions() - before, 1u);
    EXPECT_EQ(rig.pcf->latch(), 0xDE);
}

TEST_F(Pcf8574Test, OpenSourceIsNotSupported) {
    auto r = request({line(1, Direction::output, true, Edge::none, Drive::open_source)});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EOPNOTSUPP));
    EXPECT_NE(r.error().message.find("P1"), std::string::npos) << r.error().message;
}

TEST_F(Pcf8574Test, EdgesBySamplingThePins) {
    auto r = request({line(6, Direction::input, false, Edge::falling)});
    ASSERT_TRUE(r.ok()) << r.error().message;
    rig.pcf->set_external(6, 0);
    auto ev = r->wait_edge_events(2s);
    ASSERT_TRUE(ev.ok()) << ev.error().message;
    ASSERT_EQ(ev->size(), 1u);
    EXPECT_EQ((*ev)[0].offset, 6u);
    EXPECT_EQ((*ev)[0].type, EdgeEvent::Type::falling);
}

TEST(Pcf8575, SixteenLinesInTwoBytes) {
    Rig rig;
    auto model = std::make_shared<models::Pcf857x>(16);
    rig.cp2112_model->bus()->attach(0x21, model);
    auto d = rig.bind(pcf857x::pcf857x_entry(), "pcf8575", 0x21);
    ASSERT_TRUE(d.ok()) << d.error().message;
    auto chip = d->gpio_chip().value();
    ASSERT_EQ(chip.info().num_lines, 16u);
    EXPECT_EQ(chip.line_info(0)->name, "P00");
    EXPECT_EQ(chip.line_info(9)->name, "P11");
    EXPECT_EQ(chip.line_info(15)->name, "P17");
    RequestConfig rc;
    rc.lines = {line(9, Direction::output, false), line(2, Direction::input)};
    auto r = chip.request_lines(rc);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(model->latch(), 0xFDFF);
    model->set_external(2, 0);
    const uint64_t before = model->transactions();
    EXPECT_EQ(r->get_values().value(), (std::vector<int>{0, 0}));
    EXPECT_EQ(model->transactions() - before, 1u);
    ASSERT_TRUE(r->set_value(9, 1).ok());
    EXPECT_EQ(model->latch(), 0xFFFF);
}

}  // namespace
}  // namespace usbio::test
