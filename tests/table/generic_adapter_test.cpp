// SPDX-License-Identifier: Apache-2.0
// The simulated adapter knows no chip: over a toy chip's entry (a model
// that answers one vendor request, a probe that asks it once) it plugs,
// unplugs, re-plugs and forwards the chip's hooks to the model; over a
// two-port toy it makes one device per port and unplugs them together.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <mutex>

#include "common/identity.hpp"
#include "sim/adapter.hpp"
#include "usbio/driver/provider.hpp"

namespace usbio::test {
namespace {

using namespace std::chrono_literals;

constexpr uint16_t kToyVid = 0x1209;  // pid.codes test VID
constexpr uint16_t kToyPid = 0x0001;
constexpr uint8_t kHello = 1;  // vendor IN request: the chip answers 0x42

class ToyDevice final : public usb::DeviceModel {
public:
    usb::DeviceIdentity identity() const override {
        usb::DeviceIdentity id;
        id.vid = kToyVid;
        id.pid = kToyPid;
        id.serial = serial;
        id.interfaces.push_back(usb::InterfaceInfo{interface, 0xFF, {}});
        return id;
    }
    std::vector<uint8_t> device_descriptor() const override { return {}; }
    std::vector<uint8_t> config_descriptor() const override { return {}; }
    usb::ControlReply control(const usb::ControlSetup& setup, std::span<const uint8_t>) override {
        if (setup.bRequest != kHello) return {true, {}};
        return {false, {0x42}};
    }
    bool out_packet(uint8_t, std::span<const uint8_t>) override { return false; }
    std::optional<std::vector<uint8_t>> in_packet(uint8_t) override { return std::nullopt; }
    void set_in_ready_notifier(std::function<void()>) override {}
    void reset() override { resets.fetch_add(1); }

    std::string serial;
    uint8_t interface = 0;
    std::atomic<int> resets{0};
};

class ToySimModel final : public drivers::SimModel {
public:
    explicit ToySimModel(const sim::Options& o) : device_(std::make_shared<ToyDevice>()) { device_->serial = o.serial; }

    std::vector<std::shared_ptr<usb::DeviceModel>> ports() const override { return {device_}; }
    void set_nack(uint8_t addr, bool nack) override {
        std::lock_guard lk(mu_);
        nacked_ = nack ? addr : 0;
    }
    void set_bus_stuck(bool) override {}
    std::vector<std::string> faults() const override { return {"toy-fault"}; }
    bool inject_fault(std::string_view name, unsigned count) override {
        if (name != "toy-fault") return false;
        std::lock_guard lk(mu_);
        injected_ += count;
        return true;
    }
    unsigned injected() const {
        std::lock_guard lk(mu_);
        return injected_;
    }
    void set_slow(std::chrono::microseconds) override {}
    void set_input_level(unsigned, int level) override {
        std::lock_guard lk(mu_);
        level_ = level;
    }
    int pin_level(unsigned) const override {
        std::lock_guard lk(mu_);
        return level_;
    }
    std::vector<uint8_t> eeprom_contents() const override {
        std::lock_guard lk(mu_);
        return {nacked_};
    }
    void set_temperature_millicelsius(int) override {}

    int resets() const { return device_->resets.load(); }

private:
    const std::shared_ptr<ToyDevice> device_;
    mutable std::mutex mu_;
    uint8_t nacked_ = 0;
    int level_ = 0;
    unsigned injected_ = 0;
};

ToySimModel* last_model = nullptr;  // the model the latest factory call made

Result<std::unique_ptr<drivers::SimModel>> make_toy(const drivers::Product&, const sim::Options& o) {
    auto m = std::make_unique<ToySimModel>(o);
    last_model = m.get();
    return std::unique_ptr<drivers::SimModel>(std::move(m));
}

// Its I2C bus "reads" by asking the chip hello again: a call that reaches
// the transport.
class ToyChip final : public driver::Provider, public driver::I2cOps {
public:
    explicit ToyChip(std::unique_ptr<usb::Transport> t) : transport_(std::move(t)) {}
    void abort_io() noexcept override { transport_->abort(); }

    std::error_code transfer(std::span<I2cMsg>) override {
        std::vector<uint8_t> hello;
        return transport_->control_in({0xC0, kHello, 0, 0, 1}, hello, 1000ms);
    }
    std::error_code set_bitrate(uint32_t) override { return {}; }
    std::error_code get_bitrate(uint32_t& hz) override {
        hz = 100000;
        return {};
    }

private:
    std::unique_ptr<usb::Transport> transport_;
};

Result<Device> probe_toy(driver::DeviceSlot& slot, std::unique_ptr<usb::Transport> transport) {
    const DeviceInfo info = drivers::device_info(transport->identity(), "toy", "Toy chip");
    std::vector<uint8_t> hello;
    const std::error_code ec = transport->control_in({0xC0, kHello, 0, 0, 1}, hello, 1000ms);
    if (ec) return make_error(ec.value(), info.display_name() + ": no hello");
    if (hello != std::vector<uint8_t>{0x42}) return make_error(EPROTO, info.display_name() + ": not a toy");
    driver::DeviceBuilder builder(slot, info);
    auto chip = std::make_unique<ToyChip>(std::move(transport));
    builder.add_i2c_bus({info.id + " i2c", 8, 8, 8, true, 100000, 100000}, *chip);
    return builder.publish(std::move(chip));
}

const drivers::DriverEntry kToyEntry{"toy", {{"toy", kToyVid, kToyPid, {0}}}, &probe_toy, &make_toy};

// A chip with two ports (as an FT2232H has): one device model per
// interface, sharing the chip.
class TwoPortToyModel final : public drivers::SimModel {
public:
    explicit TwoPortToyModel(const sim::Options& o) {
        for (uint8_t i = 0; i < 2; ++i) {
            auto d = std::make_shared<ToyDevice>();
            d->serial = o.serial;
            d->interface = i;
            ports_.push_back(std::move(d));
        }
    }
    std::vector<std::shared_ptr<usb::DeviceModel>> ports() const override { return {ports_.begin(), ports_.end()}; }
    void set_nack(uint8_t, bool) override {}
    void set_bus_stuck(bool) override {}
    std::vector<std::string> faults() const override { return {}; }
    bool inject_fault(std::string_view, unsigned) override { return false; }
    void set_slow(std::chrono::microseconds) override {}
    void set_input_level(unsigned, int) override {}
    int pin_level(unsigned) const override { return 0; }
    std::vector<uint8_t> eeprom_contents() const override { return {}; }
    void set_temperature_millicelsius(int) override {}

private:
    std::vector<std::shared_ptr<ToyDevice>> ports_;
};

Result<std::unique_ptr<drivers::SimModel>> make_two_port_toy(const drivers::Product&, const sim::Options& o) {
    return std::unique_ptr<drivers::SimModel>(std::make_unique<TwoPortToyModel>(o));
}

const drivers::DriverEntry kTwoPortEntry{"toy2", {{"toy2", kToyVid, 0x0002, {0, 1}}}, &probe_toy, &make_two_port_toy};

const std::error_code kGone(ENODEV, std::generic_category());

TEST(GenericSimAdapter, PlugsUnplugsAndReplugsAnyChip) {
    Context ctx;
    sim::Options o;
    o.serial = "TOY1";
    auto adapter = sim::SimAdapter::create(ctx, kToyEntry, o, "sim:toy").value();
    ToySimModel* model = last_model;
    ASSERT_NE(model, nullptr);
    EXPECT_EQ(adapter->chip(), "toy");
    EXPECT_EQ(adapter->serial(), "TOY1");
    EXPECT_FALSE(adapter->plugged());

    auto dev = adapter->plug();
    ASSERT_TRUE(dev.ok()) << dev.error().message;
    EXPECT_TRUE(adapter->plugged());
    EXPECT_EQ(dev->info().driver, "toy");
    EXPECT_EQ(dev->info().serial, "TOY1");
    EXPECT_EQ(dev->info().id, "simtoy:1.0");
    EXPECT_EQ(adapter->transfer_count(), 1u);  // the probe's hello
    // The first plug finds the hardware as it was made (or loaded from a
    // saved state): no reset.
    EXPECT_EQ(model->resets(), 0);

    adapter->unplug();
    EXPECT_TRUE(dev->wait_gone(5s));
    EXPECT_FALSE(adapter->plugged());

    auto again = adapter->plug();
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE(again->present());
    EXPECT_EQ(model->resets(), 1);  // a new connection is a bus reset
}

TEST(GenericSimAdapter, UnplugAtTransferReachesTheProbe) {
    Context ctx;
    auto adapter = sim::SimAdapter::create(ctx, kToyEntry, {}, "sim:toy2").value();
    adapter->unplug_at_transfer(1);  // asked while unplugged: applies at plug
    auto dev = adapter->plug();
    ASSERT_FALSE(dev.ok());
    EXPECT_EQ(dev.code(), std::error_code(ENODEV, std::generic_category())) << dev.error().message;
    EXPECT_TRUE(ctx.devices().empty());
}

TEST(GenericSimAdapter, ChipHooksGoToTheModel) {
    Context ctx;
    auto adapter = sim::SimAdapter::create(ctx, kToyEntry, {}, "sim:toy3").value();
    adapter->set_nack(0x21, true);
    EXPECT_EQ(adapter->eeprom_contents(), std::vector<uint8_t>{0x21});
    adapter->set_input_level(0, 1);
    EXPECT_EQ(adapter->pin_level(0), 1);
    EXPECT_EQ(adapter->faults(), std::vector<std::string>{"toy-fault"});
    EXPECT_TRUE(adapter->inject_fault("toy-fault", 3).ok());
    EXPECT_EQ(last_model->injected(), 3u);
    auto unknown = adapter->inject_fault("short-report");
    EXPECT_EQ(unknown.code(), std::error_code(EINVAL, std::generic_category()));
    EXPECT_EQ(unknown.error().message, "toy [sim:toy3]: unknown fault 'short-report' (faults: toy-fault)");
}

TEST(GenericSimAdapter, ATwoPortChipMakesOneDevicePerPort) {
    Context ctx;
    sim::Options o;
    o.serial = "DUO1";
    auto adapter = sim::SimAdapter::create(ctx, kTwoPortEntry, o, "sim:duo").value();
    EXPECT_TRUE(adapter->devices().empty());
    auto first = adapter->plug();
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_TRUE(adapter->plugged());
    const auto devs = adapter->devices();
    ASSERT_EQ(devs.size(), 2u);
    EXPECT_EQ(devs[0].info().id, "simduo:1.0");
    EXPECT_EQ(devs[1].info().id, "simduo:1.1");
    EXPECT_EQ(first->info().id, devs[0].info().id);  // plug() gives the first port
    EXPECT_EQ(ctx.devices().size(), 2u);
    for (const auto& d : devs) EXPECT_EQ(d.info().serial, "DUO1");
    EXPECT_EQ(adapter->transfer_count(), 2u);  // one hello per port

    std::vector<I2cBus> buses;
    std::array<uint8_t, 1> b{};
    for (const auto& d : devs) {
        buses.push_back(d.i2c_bus().value());
        EXPECT_TRUE(buses.back().read(0x10, b).ok()) << d.info().id;
    }

    adapter->unplug();
    for (const auto& d : devs) EXPECT_TRUE(d.wait_gone(5s)) << d.info().id;
    EXPECT_FALSE(adapter->plugged());
    EXPECT_TRUE(ctx.devices().empty());
    for (auto& bus : buses) EXPECT_EQ(bus.read(0x10, b).code(), kGone);

    // Re-plug brings both ports back.
    ASSERT_TRUE(adapter->plug().ok());
    ASSERT_EQ(adapter->devices().size(), 2u);
    EXPECT_EQ(ctx.devices().size(), 2u);
}

TEST(GenericSimAdapter, OnePortLeavingTakesTheWholeChip) {
    Context ctx;
    auto adapter = sim::SimAdapter::create(ctx, kTwoPortEntry, {}, "sim:duo2").value();
    ASSERT_TRUE(adapter->plug().ok());
    const auto devs = adapter->devices();
    ASSERT_EQ(devs.size(), 2u);
    adapter->unplug_at_transfer(1);  // the next transfer on either port
    auto bus = devs[1].i2c_bus().value();
    std::array<uint8_t, 1> b{};
    EXPECT_EQ(bus.read(0x10, b).code(), kGone);
    for (const auto& d : devs) EXPECT_TRUE(d.wait_gone(5s)) << d.info().id;
    EXPECT_EQ(devs[0].i2c_bus().code(), kGone);
}

TEST(GenericSimAdapter, AnUnplugDuringProbeLeavesNoPortBehind) {
    Context ctx;
    auto adapter = sim::SimAdapter::create(ctx, kTwoPortEntry, {}, "sim:duo3").value();
    adapter->unplug_at_transfer(1);  // applies at plug: the first hello fails
    auto dev = adapter->plug();
    ASSERT_FALSE(dev.ok());
    EXPECT_EQ(dev.code(), kGone) << dev.error().message;
    EXPECT_TRUE(ctx.devices().empty());
    EXPECT_FALSE(adapter->plugged());
}

TEST(GenericSimAdapter, ModelWithoutSavedStateSaysSo) {
    Context ctx;
    auto adapter = sim::SimAdapter::create(ctx, kToyEntry, {}, "sim:toy4").value();
    const std::error_code unsupported(EOPNOTSUPP, std::generic_category());
    EXPECT_EQ(adapter->save_state().code(), unsupported);
    EXPECT_EQ(adapter->load_state("usbio-sim-state 1\nchip toy\nend\n").code(), unsupported);
    // The text is checked first: another chip's state is refused as such.
    auto other = adapter->load_state("usbio-sim-state 1\nchip cp2112\nend\n");
    EXPECT_EQ(other.code(), std::error_code(EINVAL, std::generic_category()));
    EXPECT_EQ(other.error().message, "line 2: the state of a cp2112, not of a toy");
}

}  // namespace
}  // namespace usbio::test
