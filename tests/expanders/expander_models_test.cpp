// SPDX-License-Identifier: Apache-2.0
// The PCA9555/PCA9535 and PCF8574/PCF8575 models on a simulated bus, as the
// data sheets describe the chips, and their saved state in a CP2112's.
#include <gtest/gtest.h>

#include <vector>

#include "common/sim_state.hpp"
#include "models/cp2112_model.hpp"
#include "models/i2c_bus.hpp"
#include "models/pca953x.hpp"
#include "models/pcf857x.hpp"

namespace usbio::test {
namespace {

using models::I2cResult;
using models::Pca953x;
using models::Pcf857x;

constexpr uint8_t kAddr = 0x20;

std::vector<uint8_t> bytes(std::initializer_list<uint8_t> b) { return b; }

TEST(Pca953xModel, PowerOnIsAllInputsWithOutputsHigh) {
    models::I2cBus bus;
    bus.attach(kAddr, std::make_shared<Pca953x>());
    for (uint8_t cmd : {uint8_t(2), uint8_t(6)}) {
        auto out = bus.write_read(kAddr, bytes({cmd}), 2);
        ASSERT_EQ(out.result, I2cResult::ok);
        EXPECT_EQ(out.data, bytes({0xFF, 0xFF})) << int(cmd);
    }
    auto pol = bus.write_read(kAddr, bytes({4}), 2);
    EXPECT_EQ(pol.data, bytes({0x00, 0x00}));
    auto in = bus.write_read(kAddr, bytes({0}), 2);
    EXPECT_EQ(in.data, bytes({0xFF, 0xFF})) << "inputs pulled up";
}

TEST(Pca953xModel, DataBytesAlternateWithinTheRegisterPair) {
    models::I2cBus bus;
    auto chip = std::make_shared<Pca953x>();
    bus.attach(kAddr, chip);
    // Command 3 (output port 1), three bytes: port 1, port 0, port 1 again.
    ASSERT_EQ(bus.write_transaction(kAddr, bytes({3, 0x12, 0x34, 0x56})).result, I2cResult::ok);
    EXPECT_EQ(chip->reg16(Pca953x::kOutput), 0x5634);
    // A read keeps alternating too: 7, 6, 7.
    chip->set_reg16(Pca953x::kConfig, 0xA55A);
    auto r = bus.write_read(kAddr, bytes({7}), 3);
    EXPECT_EQ(r.data, bytes({0xA5, 0x5A, 0xA5}));
    // The pointer survives the STOP: a plain read continues from it.
    auto again = bus.read_transaction(kAddr, 1);
    EXPECT_EQ(again.data, bytes({0x5A}));
    EXPECT_EQ(chip->transactions(), 3u);
}

TEST(Pca953xModel, OutputsArePushPullAndInputsFollowTheWorldThroughPolarity) {
    auto chip = std::make_shared<Pca953x>();
    chip->set_reg16(Pca953x::kConfig, 0xFF00);  // port 0 outputs
    chip->set_reg16(Pca953x::kOutput, 0x00F0);
    chip->set_external(0, 1);  // fights the chip's low: the chip wins
    chip->set_external(8, 0);
    EXPECT_EQ(chip->pin_levels(), 0xFEF0);
    chip->set_reg16(Pca953x::kPolarity, 0x0100);
    EXPECT_EQ(chip->reg16(Pca953x::kInput), 0xFFF0) << "pin IO1_0 low, inverted to 1";
}

TEST(Pca953xModel, Pca9535HasNoPullUps) {
    Pca953x chip(models::Pca953xKind::pca9535);
    EXPECT_EQ(chip.pin_levels(), 0x0000);
    chip.set_external(5, 1);
    EXPECT_EQ(chip.pin_levels(), 0x0020);
}

TEST(Pca953xModel, InterruptUntilTheInputPortIsRead) {
    models::I2cBus bus;
    auto chip = std::make_shared<Pca953x>();
    bus.attach(kAddr, chip);
    EXPECT_FALSE(chip->int_asserted());
    chip->set_external(9, 0);
    EXPECT_TRUE(chip->int_asserted());
    bus.write_read(kAddr, bytes({0}), 1);  // port 0 only
    EXPECT_TRUE(chip->int_asserted());
    bus.read_transaction(kAddr, 1);  // then port 1
    EXPECT_FALSE(chip->int_asserted());
    chip->set_external(9, -1);  // back to the level last read: 1 differs from 0
    EXPECT_TRUE(chip->int_asserted());
}

TEST(Pcf857xModel, QuasiBidirectionalPins) {
    models::I2cBus bus;
    auto chip = std::make_shared<Pcf857x>(8);
    bus.attach(0x38, chip);
    EXPECT_EQ(bus.read_transaction(0x38, 1).data, bytes({0xFF}));
    ASSERT_EQ(bus.write_transaction(0x38, bytes({0xF0})).result, I2cResult::ok);
    chip->set_external(0, 1);  // loses against the latch's low
    chip->set_external(4, 0);  // wins against the weak pull-up
    EXPECT_EQ(bus.read_transaction(0x38, 1).data, bytes({0xE0}));
    EXPECT_EQ(chip->latch(), 0xF0);
}

TEST(Pcf857xModel, SixteenPinsAlternatePorts) {
    models::I2cBus bus;
    auto chip = std::make_shared<Pcf857x>(16);
    bus.attach(0x21, chip);
    ASSERT_EQ(bus.write_transaction(0x21, bytes({0x0F, 0xF0})).result, I2cResult::ok);
    EXPECT_EQ(chip->latch(), 0xF00F);
    chip->set_external(15, 0);
    EXPECT_EQ(bus.read_transaction(0x21, 3).data, bytes({0x0F, 0x70, 0x0F}));
}

TEST(Pcf857xModel, InterruptUntilRead) {
    models::I2cBus bus;
    auto chip = std::make_shared<Pcf857x>(8);
    bus.attach(0x38, chip);
    chip->set_external(3, 0);
    EXPECT_TRUE(chip->int_asserted());
    bus.read_transaction(0x38, 1);
    EXPECT_FALSE(chip->int_asserted());
}

namespace state = drivers::sim_state;

std::string saved(const models::Cp2112Model& m) {
    state::Writer w;
    m.save_state(w);
    return state::frame("cp2112", w);
}

void load(models::Cp2112Model& m, const std::string& text) {
    auto reader = state::unframe(text, "cp2112");
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    m.load_state(reader.value());
}

TEST(ExpanderState, SavedWithTheCp2112AndRestored) {
    models::Cp2112Model a;
    a.expander()->set_reg16(Pca953x::kConfig, 0x00FF);
    a.expander()->set_reg16(Pca953x::kOutput, 0x1200);
    a.expander()->set_external(3, 0);
    a.pcf()->set_external(7, 0);
    a.bus()->write_transaction(models::Cp2112Model::kPcfAddress, bytes({0x0F}));
    const std::string text = saved(a);
    EXPECT_NE(text.find("pca9555 0x20 output=0x1200 polarity=0x0000 config=0x00ff"), std::string::npos) << text;
    EXPECT_NE(text.find("pcf8574 0x38 latch=0x0f"), std::string::npos) << text;

    models::Cp2112Model b;
    load(b, text);
    EXPECT_EQ(b.expander()->reg16(Pca953x::kConfig), 0x00FF);
    EXPECT_EQ(b.expander()->reg16(Pca953x::kOutput), 0x1200);
    EXPECT_EQ(b.expander()->pin_levels(), a.expander()->pin_levels());
    EXPECT_EQ(b.pcf()->latch(), 0x0F);
    EXPECT_EQ(b.pcf()->pin_levels(), a.pcf()->pin_levels());
    EXPECT_EQ(saved(b), text);
}

TEST(ExpanderState, StateWithoutExpanderRecordsLoadsAsPowerOn) {
    models::Cp2112Model a;
    std::string text = saved(a);
    // Cut the expander records out, as in a file from before them.
    for (const char* name : {"\npca9555 ", "\npcf8574 "}) {
        const auto at = text.find(name);
        ASSERT_NE(at, std::string::npos);
        text.erase(at, text.find('\n', at + 1) - at);
    }
    models::Cp2112Model b;
    b.expander()->set_reg16(Pca953x::kOutput, 0);
    load(b, text);
    EXPECT_EQ(b.expander()->reg16(Pca953x::kOutput), 0xFFFF);
}

TEST(ExpanderState, BadValueNamesTheLine) {
    models::Cp2112Model a;
    std::string text = saved(a);
    const auto at = text.find("latch=0xff");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 10, "latch=0x1ff");
    auto reader = state::unframe(text, "cp2112");
    ASSERT_TRUE(reader.ok());
    models::Cp2112Model b;
    try {
        b.load_state(reader.value());
        FAIL() << "loaded a 9-bit latch";
    } catch (const state::Bad& e) {
        EXPECT_NE(std::string(e.what()).find("pcf8574 0x38"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace usbio::test
