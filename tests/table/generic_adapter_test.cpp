// SPDX-License-Identifier: Apache-2.0
// The simulated adapter knows no chip: over a toy chip's entry (a model
// that answers one vendor request, a probe that asks it once) it plugs,
// unplugs, re-plugs and forwards the chip's hooks to the model.
#include <gtest/gtest.h>

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
        id.interfaces.push_back(usb::InterfaceInfo{0, 0xFF, {}});
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
    std::atomic<int> resets{0};
};

class ToySimModel final : public drivers::SimModel {
public:
    explicit ToySimModel(const sim::Options& o) : device_(std::make_shared<ToyDevice>()) { device_->serial = o.serial; }

    std::shared_ptr<usb::DeviceModel> device() const override { return device_; }
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

Result<std::unique_ptr<drivers::SimModel>> make_toy(const sim::Options& o) {
    auto m = std::make_unique<ToySimModel>(o);
    last_model = m.get();
    return std::unique_ptr<drivers::SimModel>(std::move(m));
}

class ToyChip final : public driver::Provider {
public:
    explicit ToyChip(std::unique_ptr<usb::Transport> t) : transport_(std::move(t)) {}
    void abort_io() noexcept override { transport_->abort(); }

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
    return builder.publish(std::make_unique<ToyChip>(std::move(transport)));
}

const drivers::DriverEntry kToyEntry{"toy", {{"toy", kToyVid, kToyPid, {0}}}, &probe_toy, &make_toy};

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
    EXPECT_EQ(model->resets(), 1);

    adapter->unplug();
    EXPECT_TRUE(dev->wait_gone(5s));
    EXPECT_FALSE(adapter->plugged());

    auto again = adapter->plug();
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE(again->present());
    EXPECT_EQ(model->resets(), 2);  // a new connection is a bus reset
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

}  // namespace
}  // namespace usbio::test
