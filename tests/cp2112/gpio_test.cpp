// SPDX-License-Identifier: Apache-2.0
// GPIO of a simulated CP2112 through the public API.
#include <string>

#include "sim_fixture.hpp"

namespace usbio::test {
namespace {

using Cp2112Gpio = Cp2112Sim;

LineConfig line(unsigned offset, Direction dir, Drive drive = Drive::push_pull, bool value = false,
                bool active_low = false) {
    LineConfig c;
    c.offset = offset;
    c.settings.direction = dir;
    c.settings.drive = drive;
    c.settings.output_value = value;
    c.settings.active_low = active_low;
    return c;
}

RequestConfig request(std::vector<LineConfig> lines, std::string consumer = "gpio-test") {
    RequestConfig r;
    r.consumer = std::move(consumer);
    r.lines = std::move(lines);
    return r;
}

TEST_F(Cp2112Gpio, ChipHasEightNamedLines) {
    const ChipInfo info = gpio.info();
    EXPECT_EQ(info.name, "cp2112-" + adapter->serial());
    EXPECT_EQ(info.label, "cp2112_gpio");
    EXPECT_EQ(info.num_lines, 8u);
    for (unsigned i = 0; i < 8; ++i) {
        auto li = gpio.line_info(i);
        ASSERT_TRUE(li.ok()) << li.error().message;
        EXPECT_EQ(li->name, "GPIO." + std::to_string(i));
        EXPECT_EQ(gpio.find_line("GPIO." + std::to_string(i)), i);
    }
    EXPECT_FALSE(gpio.find_line("GPIO.8").has_value());
}

TEST_F(Cp2112Gpio, LinesStartAsUnusedInputs) {
    for (unsigned i = 0; i < 8; ++i) {
        auto li = gpio.line_info(i);
        ASSERT_TRUE(li.ok()) << li.error().message;
        EXPECT_FALSE(li->used);
        EXPECT_EQ(li->direction, Direction::input);
    }
}

TEST_F(Cp2112Gpio, PushPullOutputDrivesInitialValueAndFollowsSets) {
    auto req = gpio.request_lines(request({line(2, Direction::output, Drive::push_pull, true)}));
    ASSERT_TRUE(req.ok()) << req.error().message;
    EXPECT_EQ(adapter->pin_level(2), 1);

    auto li = gpio.line_info(2);
    ASSERT_TRUE(li.ok()) << li.error().message;
    EXPECT_TRUE(li->used);
    EXPECT_EQ(li->consumer, "gpio-test");
    EXPECT_EQ(li->direction, Direction::output);
    EXPECT_EQ(li->drive, Drive::push_pull);

    ASSERT_TRUE(req->set_value(2, 0).ok());
    EXPECT_EQ(adapter->pin_level(2), 0);
    EXPECT_EQ(req->get_value(2).value(), 0);
    ASSERT_TRUE(req->set_value(2, 1).ok());
    EXPECT_EQ(adapter->pin_level(2), 1);
    EXPECT_EQ(req->get_value(2).value(), 1);
}

TEST_F(Cp2112Gpio, OutputStartingLowIsLowAtOnce) {
    // Pins idle high (pull-ups); an output requested low must not stay high.
    auto req = gpio.request_lines(request({line(6, Direction::output, Drive::push_pull, false)}));
    ASSERT_TRUE(req.ok()) << req.error().message;
    EXPECT_EQ(adapter->pin_level(6), 0);
}

TEST_F(Cp2112Gpio, ActiveLowOutputInvertsValues) {
    auto req = gpio.request_lines(request({line(4, Direction::output, Drive::push_pull, true, true)}));
    ASSERT_TRUE(req.ok()) << req.error().message;
    EXPECT_EQ(adapter->pin_level(4), 0);
    EXPECT_TRUE(gpio.line_info(4).value().active_low);

    ASSERT_TRUE(req->set_value(4, 0).ok());
    EXPECT_EQ(adapter->pin_level(4), 1);
    EXPECT_EQ(req->get_value(4).value(), 0);
}

TEST_F(Cp2112Gpio, InputReadsTheOutsideLevel) {
    auto req = gpio.request_lines(
        request({line(5, Direction::input), line(6, Direction::input, Drive::push_pull, false, true)}));
    ASSERT_TRUE(req.ok()) << req.error().message;
    adapter->set_input_level(5, 0);
    adapter->set_input_level(6, 0);
    EXPECT_EQ(req->get_value(5).value(), 0);
    EXPECT_EQ(req->get_value(6).value(), 1);  // active-low
    adapter->set_input_level(5, 1);
    adapter->set_input_level(6, 1);
    EXPECT_EQ(req->get_values().value(), (std::vector<int>{1, 0}));
}

TEST_F(Cp2112Gpio, OpenDrainReleasedLineReadsTheOutsideLevel) {
    auto req = gpio.request_lines(request({line(3, Direction::output, Drive::open_drain, true)}));
    ASSERT_TRUE(req.ok()) << req.error().message;
    EXPECT_EQ(gpio.line_info(3).value().drive, Drive::open_drain);

    // Released (1): another device on the wire decides the level.
    adapter->set_input_level(3, 0);
    EXPECT_EQ(adapter->pin_level(3), 0);
    EXPECT_EQ(req->get_value(3).value(), 0);
    adapter->set_input_level(3, 1);
    EXPECT_EQ(req->get_value(3).value(), 1);

    // Driven low (0): low whatever the outside does.
    ASSERT_TRUE(req->set_value(3, 0).ok());
    EXPECT_EQ(adapter->pin_level(3), 0);
    EXPECT_EQ(req->get_value(3).value(), 0);
}

TEST_F(Cp2112Gpio, DoubleRequestIsBusyUntilReleased) {
    auto first = gpio.request_lines(request({line(1, Direction::output)}, "first"));
    ASSERT_TRUE(first.ok()) << first.error().message;
    auto second = gpio.request_lines(request({line(1, Direction::input)}, "second"));
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.code(), errc(EBUSY));
    EXPECT_EQ(gpio.line_info(1).value().consumer, "first");

    first->release();
    auto third = gpio.request_lines(request({line(1, Direction::input)}, "third"));
    ASSERT_TRUE(third.ok()) << third.error().message;
    EXPECT_EQ(gpio.line_info(1).value().direction, Direction::input);
}

TEST_F(Cp2112Gpio, OpenSourceIsNotSupported) {
    auto req = gpio.request_lines(request({line(0, Direction::output, Drive::open_source)}));
    ASSERT_FALSE(req.ok());
    EXPECT_EQ(req.code(), errc(EOPNOTSUPP));
    // The failed request does not keep the line.
    auto again = gpio.request_lines(request({line(0, Direction::output, Drive::push_pull)}));
    EXPECT_TRUE(again.ok()) << again.error().message;
}

TEST_F(Cp2112Gpio, SetValuesDrivesSeveralLinesAtOnce) {
    auto req = gpio.request_lines(
        request({line(0, Direction::output), line(1, Direction::output), line(7, Direction::output)}));
    ASSERT_TRUE(req.ok()) << req.error().message;
    ASSERT_TRUE(req->set_values({1, 0, 1}).ok());
    EXPECT_EQ(adapter->pin_level(0), 1);
    EXPECT_EQ(adapter->pin_level(1), 0);
    EXPECT_EQ(adapter->pin_level(7), 1);
    EXPECT_EQ(req->get_values().value(), (std::vector<int>{1, 0, 1}));
    ASSERT_TRUE(req->set_values({0, 1, 0}).ok());
    EXPECT_EQ(req->get_values().value(), (std::vector<int>{0, 1, 0}));
}

TEST_F(Cp2112Gpio, ConfiguringOneLineKeepsTheOthers) {
    auto a = gpio.request_lines(request({line(2, Direction::output, Drive::open_drain, false)}, "a"));
    ASSERT_TRUE(a.ok()) << a.error().message;
    auto b = gpio.request_lines(request({line(3, Direction::output, Drive::push_pull, true)}, "b"));
    ASSERT_TRUE(b.ok()) << b.error().message;
    auto c = gpio.request_lines(request({line(4, Direction::input)}, "c"));
    ASSERT_TRUE(c.ok()) << c.error().message;

    auto li2 = gpio.line_info(2).value();
    EXPECT_EQ(li2.direction, Direction::output);
    EXPECT_EQ(li2.drive, Drive::open_drain);
    auto li3 = gpio.line_info(3).value();
    EXPECT_EQ(li3.direction, Direction::output);
    EXPECT_EQ(li3.drive, Drive::push_pull);
    EXPECT_EQ(adapter->pin_level(2), 0);
    EXPECT_EQ(adapter->pin_level(3), 1);
}

TEST_F(Cp2112Gpio, OutputBecomesInputAgain) {
    auto out = gpio.request_lines(request({line(5, Direction::output, Drive::push_pull, false)}));
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(adapter->pin_level(5), 0);
    out->release();
    auto in = gpio.request_lines(request({line(5, Direction::input)}));
    ASSERT_TRUE(in.ok()) << in.error().message;
    adapter->set_input_level(5, 1);
    EXPECT_EQ(adapter->pin_level(5), 1);
    EXPECT_EQ(in->get_value(5).value(), 1);
}

}  // namespace
}  // namespace usbio::test
