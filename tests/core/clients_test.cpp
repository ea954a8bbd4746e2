// SPDX-License-Identifier: Apache-2.0
// Client devices on a fake adapter's bus: a client is revoked before its
// adapter (its in-flight call ends with ENODEV and its count, its removed
// event comes first, its provider is freed first), it can be unbound alone,
// and its ClientBus holds addresses exclusively and stops at abort().
#include <gtest/gtest.h>

#include <future>
#include <latch>
#include <vector>

#include "fake_driver.hpp"
#include "usbio/driver/client.hpp"
#include "usbio/usbio.hpp"

using namespace usbio;
using test::I2cMode;

namespace {

// A minimal EEPROM client: reads are current-address reads on the bus.
struct ClientLog {
    std::mutex mu;
    std::vector<std::string> order;  // "client freed" / "adapter freed", as they happen
    void add(std::string s) {
        std::lock_guard lk(mu);
        order.push_back(std::move(s));
    }
};

class FakeEeprom final : public driver::Provider, public driver::EepromOps {
public:
    FakeEeprom(std::unique_ptr<driver::ClientBus> bus, std::shared_ptr<ClientLog> log,
               std::shared_ptr<test::FakeState> adapter)
        : bus_(std::move(bus)), log_(std::move(log)), adapter_(std::move(adapter)) {}
    ~FakeEeprom() override { log_->add(adapter_->destroyed ? "client freed after adapter" : "client freed"); }
    void abort_io() noexcept override { bus_->abort(); }
    std::error_code read(std::size_t, std::span<uint8_t> data) override {
        I2cMsg m{0x50, I2cMsg::read, data};
        return bus_->transfer({&m, 1});
    }
    std::error_code write_page(std::size_t, std::span<const uint8_t> data) override {
        I2cMsg m{0x50, 0, {const_cast<uint8_t*>(data.data()), data.size()}};
        return bus_->transfer({&m, 1});
    }

private:
    std::unique_ptr<driver::ClientBus> bus_;
    std::shared_ptr<ClientLog> log_;
    std::shared_ptr<test::FakeState> adapter_;
};

Result<Device> bind_fake(Context& ctx, const Device& adapter, const std::shared_ptr<test::FakeState>& st,
                         const std::shared_ptr<ClientLog>& log) {
    auto bus = driver::open_client_bus(adapter.i2c_bus().value(), 0x50, 1, "i2c 0x50 on fake");
    if (!bus) return bus.error();
    driver::DeviceSlot slot(ctx);
    slot.depends_on(adapter);
    DeviceInfo info;
    info.driver = "fake-eeprom";
    info.id = adapter.info().id + "/i2c-0/0x50";
    info.path = adapter.info().path + "/i2c-0/0x50";
    info.parent = adapter.info().id;
    auto client = std::make_unique<FakeEeprom>(std::move(*bus), log, st);
    driver::DeviceBuilder b(slot, info);
    b.add_eeprom({"fake eeprom at 0x50", "fake", 1024, 16, 64, 0x50}, *client);
    return b.publish(std::move(client));
}

struct Removals {
    std::mutex mu;
    std::vector<std::string> ids;
    Subscription sub;
    explicit Removals(Context& ctx) {
        sub = ctx.subscribe([this](const Event& e) {
            if (e.type != Event::Type::removed) return;
            std::lock_guard lk(mu);
            ids.push_back(e.device.id);
        });
    }
    std::vector<std::string> get() {
        std::lock_guard lk(mu);
        return ids;
    }
};

TEST(Clients, AdapterRemovalRevokesTheClientFirst) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto log = std::make_shared<ClientLog>();
    Removals removals(ctx);
    auto client = bind_fake(ctx, dev, st, log).value();
    EXPECT_EQ(client.info().parent, dev.info().id);
    auto ee = client.eeprom().value();

    // After the first 64-byte piece the adapter starts blocking transfers,
    // so the second piece is inside the EEPROM read and inside the
    // adapter's transfer when the adapter is removed.
    auto reader = std::async(std::launch::async, [ee, &st]() mutable {
        std::vector<uint8_t> buf(256);
        return ee.read(0, buf, [&](std::size_t done, std::size_t) {
            if (done == 64) {
                std::lock_guard lk(st->mu);
                st->mode = I2cMode::block_until_abort;
            }
            return true;
        });
    });
    ASSERT_TRUE(st->wait_blocked(1));
    dev.remove();
    auto io = reader.get();
    ASSERT_FALSE(io.ok());
    EXPECT_EQ(io.status.code(), std::errc::no_such_device);
    EXPECT_EQ(io.done, 64u);
    EXPECT_NE(io.status.error().message.find("fake eeprom at 0x50"), std::string::npos) << io.status.error().message;
    EXPECT_NE(io.status.error().message.find("0x0040"), std::string::npos) << io.status.error().message;

    EXPECT_EQ(client.state(), DeviceState::gone);
    EXPECT_EQ(dev.state(), DeviceState::gone);
    EXPECT_EQ(removals.get(), (std::vector<std::string>{client.info().id, dev.info().id}));
    {
        std::lock_guard lk(log->mu);
        EXPECT_EQ(log->order, std::vector<std::string>{"client freed"});
    }
    EXPECT_EQ(st->destroyed, 1);
    EXPECT_EQ(st->inside_at_destroy, 0);
    // The handle stays valid and says the device is gone.
    uint8_t b[4];
    EXPECT_EQ(ee.read(0, b).status.code(), std::errc::no_such_device);
    EXPECT_EQ(client.eeprom().code(), std::errc::no_such_device);
}

TEST(Clients, UnbindingAClientLeavesTheAdapterWorking) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto log = std::make_shared<ClientLog>();
    Removals removals(ctx);
    auto client = bind_fake(ctx, dev, st, log).value();
    auto ee = client.eeprom().value();
    client.remove();
    EXPECT_EQ(client.state(), DeviceState::gone);
    EXPECT_TRUE(dev.present());
    EXPECT_EQ(removals.get(), std::vector<std::string>{client.info().id});
    uint8_t b[4];
    EXPECT_EQ(ee.read(0, b).status.code(), std::errc::no_such_device);
    EXPECT_TRUE(dev.i2c_bus().value().read(0x50, b));
    // The address is free again once the client is gone.
    auto again = bind_fake(ctx, dev, st, log);
    ASSERT_TRUE(again) << again.error().message;
    dev.remove();
    EXPECT_EQ(again->state(), DeviceState::gone);
    EXPECT_EQ(st->destroyed, 1);
}

TEST(Clients, AClientBusHoldsItsAddressesAlone) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto bus = dev.i2c_bus().value();
    auto wide = driver::open_client_bus(bus, 0x50, 8, "i2c 0x50 on fake");
    ASSERT_TRUE(wide);
    auto clash = driver::open_client_bus(bus, 0x53, 1, "i2c 0x53 on fake");
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.code(), std::errc::device_or_resource_busy);
    EXPECT_NE(clash.error().message.find("0x53"), std::string::npos) << clash.error().message;
    EXPECT_TRUE(driver::open_client_bus(bus, 0x58, 1, "i2c 0x58 on fake"));
    // A message outside the client's addresses never reaches the adapter.
    uint8_t b[2];
    I2cMsg other{0x48, I2cMsg::read, b};
    EXPECT_EQ((*wide)->transfer({&other, 1}).value(), EINVAL);
    wide->reset();
    EXPECT_TRUE(driver::open_client_bus(bus, 0x53, 1, "i2c 0x53 on fake"));
}

TEST(Clients, AnAbortedClientBusFailsWithoutTouchingTheAdapter) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto cb = driver::open_client_bus(dev.i2c_bus().value(), 0x50, 1, "i2c 0x50 on fake").value();
    cb->abort();
    // Were the adapter reached, it would report ENODEV and be removed.
    st->mode = I2cMode::fail_enodev;
    uint8_t b[2];
    I2cMsg m{0x50, I2cMsg::read, b};
    EXPECT_EQ(cb->transfer({&m, 1}).value(), ENODEV);
    EXPECT_TRUE(dev.present());
}

TEST(Clients, NoClientAppearsOnAnAdapterThatIsGone) {
    Context ctx;
    auto [dev, st] = test::add_fake(ctx);
    auto bus = dev.i2c_bus().value();
    auto cb = driver::open_client_bus(bus, 0x50, 1, "i2c 0x50 on fake");
    ASSERT_TRUE(cb);
    dev.remove();
    EXPECT_EQ(driver::open_client_bus(bus, 0x51, 1, "i2c 0x51 on fake").code(), std::errc::no_such_device);
    // A client probed while its adapter left is never published.
    driver::DeviceSlot slot(ctx);
    slot.depends_on(dev);
    auto client = std::make_unique<FakeEeprom>(std::move(*cb), std::make_shared<ClientLog>(), st);
    DeviceInfo info;
    info.driver = "fake-eeprom";
    info.id = "late";
    driver::DeviceBuilder b(slot, info);
    b.add_eeprom({"fake eeprom at 0x50", "fake", 1024, 16, 64, 0x50}, *client);
    auto r = b.publish(std::move(client));
    EXPECT_EQ(r.code(), std::errc::no_such_device);
    EXPECT_TRUE(ctx.devices().empty());
}

}  // namespace
