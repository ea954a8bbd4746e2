// SPDX-License-Identifier: Apache-2.0
// The host on the fake libusb: enumeration, hotplug and polling, binding
// the real CP2112 driver to a CP2112 model through the libusb transport,
// adapters listed as unbound, departures (also racing transfers), re-plug,
// and a clean end.
#include <algorithm>
#include <array>
#include <future>

#include <gtest/gtest.h>

#include "cp2112/probe.hpp"
#include "host_fixture.hpp"
#include "models/ftdi_model.hpp"

namespace usbio::test {
namespace {

TEST_F(HostTest, BindsACp2112FoundAtStartAndItWorks) {
    auto model = cp2112_model();
    fake->plug(cp2112_spec(model, {2, 1}));
    start();
    EXPECT_EQ(host->watch(), usb::Watch::hotplug);
    auto devices = ctx->devices();
    ASSERT_EQ(devices.size(), 1u);
    const DeviceInfo& info = devices[0].info();
    EXPECT_EQ(info.driver, "cp2112");
    EXPECT_EQ(info.vid, 0x10C4);
    EXPECT_EQ(info.pid, 0xEA90);
    EXPECT_EQ(info.serial, "REAL0001");
    EXPECT_EQ(info.path, "1-2.1");
    EXPECT_EQ(info.id, "usb-1-2.1:1.0");
    EXPECT_EQ(info.description, "CP2112 HID USB-to-SMBus Bridge");
    EXPECT_FALSE(info.simulated);
    EXPECT_TRUE(host->unbound().empty());

    // The real driver talks to the chip model through the libusb transport.
    auto bus = devices[0].i2c_bus().value();
    std::array<uint8_t, 2> addr{0x00, 0x00};
    std::array<uint8_t, 4> got{};
    auto r = bus.write_read(0x50, addr, got);
    ASSERT_TRUE(r.ok()) << r.error().message;
    const auto eeprom = model->eeprom_contents();
    ASSERT_GE(eeprom.size(), 4u);
    EXPECT_TRUE(std::equal(got.begin(), got.end(), eeprom.begin()));
    std::array<uint8_t, 1> nothing{};
    EXPECT_EQ(bus.read(0x23, nothing).code(), errc(ENXIO));
}

TEST_F(HostTest, BindsAnFt232hThroughLibusbAndItWorks) {
    auto model = std::make_shared<models::FtdiChipModel>(
        models::FtdiOptions{models::FtdiKind::ft232h, "FTREAL01", true, true, std::chrono::microseconds(0)});
    model->eeprom(0)->set_contents(0, std::vector<uint8_t>{0xA1, 0xB2});
    fake->plug(cp2112_spec(model->port(0), {6}));
    start();
    auto devices = ctx->devices();
    ASSERT_EQ(devices.size(), 1u);
    EXPECT_EQ(devices[0].info().driver, "ftdi");
    EXPECT_EQ(devices[0].info().id, "usb-1-6:1.0");
    auto bus = devices[0].i2c_bus().value();
    std::array<uint8_t, 2> addr{0x00, 0x00};
    std::array<uint8_t, 2> got{};
    auto r = bus.write_read(0x50, addr, got);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(got, (std::array<uint8_t, 2>{0xA1, 0xB2}));
    EXPECT_TRUE(model->violations(0).empty());
}

TEST_F(HostTest, ChipsWithoutADriverAreListedAndLeftAlone) {
    auto* ft232h = fake->plug(ftdi_spec(0x6014, 1, {3}));
    auto* ft2232h = fake->plug(ftdi_spec(0x6010, 2, {4}));
    FakeDeviceSpec other = scripted_spec(0x1234, 0x5678);
    other.ports = {5};
    fake->plug(other);
    // The table as it would be without the FTDI driver.
    std::vector<host::ChipEntry> table = host::chip_table();
    for (auto& e : table)
        if (std::string(e.driver) == "ftdi") e.probe = nullptr;
    start({}, table);
    EXPECT_TRUE(ctx->devices().empty());
    auto u = host->unbound();
    ASSERT_EQ(u.size(), 3u);
    EXPECT_EQ(u[0].chip, "ft232h");
    EXPECT_EQ(u[0].driver, "ftdi");
    EXPECT_EQ(u[0].vid, 0x0403);
    EXPECT_EQ(u[0].pid, 0x6014);
    EXPECT_EQ(u[0].path, "1-3");
    EXPECT_EQ(u[0].interface, 0);
    EXPECT_EQ(u[0].serial, "SCRIPT01");
    EXPECT_EQ(u[0].reason.code, errc(EOPNOTSUPP));
    EXPECT_EQ(u[0].reason.message, "ft232h [1-3]: no ftdi driver yet; the adapter is left alone");
    EXPECT_EQ(u[1].chip, "ft2232h");
    EXPECT_EQ(u[1].interface, 0);
    EXPECT_EQ(u[2].interface, 1);
    EXPECT_NE(u[2].reason.message.find("ft2232h [1-4] interface 1"), std::string::npos) << u[2].reason.message;
    // ftdi_sio keeps its interfaces: nothing was claimed or detached.
    EXPECT_TRUE(fake->kernel_driver_bound(ft232h, 0));
    EXPECT_TRUE(fake->kernel_driver_bound(ft2232h, 0));
    EXPECT_TRUE(fake->kernel_driver_bound(ft2232h, 1));
    for (const auto& e : fake->log()) EXPECT_TRUE(e == "open" || e == "close") << e;
}

TEST_F(HostTest, PermissionAndBusyAreListedWithTheirReasons) {
    auto* denied = fake->plug(cp2112_spec(cp2112_model("A"), {2}));
    fake->set_open_error(denied, LIBUSB_ERROR_ACCESS);
    auto* busy = fake->plug(cp2112_spec(cp2112_model("B"), {3}));
    fake->set_claim_error(busy, LIBUSB_ERROR_BUSY);
    start();
    EXPECT_TRUE(ctx->devices().empty());
    auto u = host->unbound();
    ASSERT_EQ(u.size(), 2u);
    const auto& acc = u[0].path == "1-2" ? u[0] : u[1];
    const auto& bsy = u[0].path == "1-2" ? u[1] : u[0];
    EXPECT_EQ(acc.reason.code, errc(EACCES));
    EXPECT_NE(acc.reason.message.find("cp2112 [1-2]"), std::string::npos) << acc.reason.message;
    EXPECT_NE(acc.reason.message.find("70-usbio.rules"), std::string::npos) << acc.reason.message;
    EXPECT_EQ(bsy.reason.code, errc(EBUSY));
    EXPECT_NE(bsy.reason.message.find("another program"), std::string::npos) << bsy.reason.message;
}

TEST_F(HostTest, ProbeFailureIsListedAndTheDeviceLetGo) {
    auto* dev = fake->plug(testchip_spec());
    start({}, {refusing_testchip()});
    auto u = host->unbound();
    ASSERT_EQ(u.size(), 1u);
    EXPECT_EQ(u[0].reason.code, errc(EPROTO));
    EXPECT_EQ(u[0].serial, "SCRIPT01");
    EXPECT_EQ(fake->open_handles(), 0);
    EXPECT_TRUE(fake->kernel_driver_bound(dev, 0));
}

TEST_F(HostTest, HotplugArrivalProbesAndDepartureRemoves) {
    start();
    auto ev = ctx->events();
    auto model = cp2112_model();
    auto* dev = fake->plug(cp2112_spec(model, {7}));
    auto arrived = next_of(ev, Event::Type::arrived);
    ASSERT_TRUE(arrived);
    EXPECT_EQ(arrived->device.path, "1-7");
    Device d = ctx->find("REAL0001").value();
    auto chip = d.gpio_chip().value();
    EXPECT_TRUE(chip.line_info(0).ok());

    fake->unplug(dev, LIBUSB_TRANSFER_ERROR);
    auto removed = next_of(ev, Event::Type::removed);
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed->device.serial, "REAL0001");
    EXPECT_EQ(d.state(), DeviceState::gone);
    EXPECT_EQ(chip.line_info(0).code(), errc(ENODEV));
    EXPECT_EQ(fake->open_handles(), 0);  // the driver let go before the removed event
    ASSERT_TRUE(host->settle(kWait));
    EXPECT_TRUE(host->unbound().empty());
}

TEST_F(HostTest, DepartureRacingATransferInFlight) {
    auto model = cp2112_model();
    auto* dev = fake->plug(cp2112_spec(model, {2}));
    start();
    Device d = ctx->devices().at(0);
    auto bus = d.i2c_bus().value();
    model->set_slow(std::chrono::milliseconds(300));  // the transaction stays busy
    const auto before = fake->submitted();
    auto call = std::async(std::launch::async, [&] {
        std::array<uint8_t, 8> buf{};
        return bus.read(0x50, buf).code();
    });
    // Pull the cable once the transaction is under way: the request went
    // out and the driver is polling the chip's transfer status.
    ASSERT_TRUE(fake->wait_submitted(before + 4));
    fake->unplug(dev, LIBUSB_TRANSFER_ERROR);
    ASSERT_EQ(call.wait_for(kWait), std::future_status::ready);
    EXPECT_EQ(call.get(), errc(ENODEV));
    EXPECT_TRUE(d.wait_gone(kWait));
}

TEST_F(HostTest, ReplugIsANewDevice) {
    start();
    auto ev = ctx->events();
    auto model = cp2112_model();
    auto* first = fake->plug(cp2112_spec(model, {2}));
    ASSERT_TRUE(next_of(ev, Event::Type::arrived));
    Device old = ctx->find("1-2").value();
    fake->unplug(first);
    ASSERT_TRUE(next_of(ev, Event::Type::removed));
    model->reset();
    fake->plug(cp2112_spec(model, {2}));
    ASSERT_TRUE(next_of(ev, Event::Type::arrived));
    Device fresh = ctx->find("1-2").value();
    EXPECT_FALSE(fresh == old);
    EXPECT_EQ(old.state(), DeviceState::gone);
    EXPECT_TRUE(fresh.present());
    EXPECT_TRUE(fresh.gpio_chip().value().line_info(1).ok());
}

TEST_F(HostTest, PollingWhereLibusbHasNoHotplug) {
    fake->hotplug_capable = false;
    usb::Options o;
    o.poll_interval = 20ms;
    start(o);
    EXPECT_EQ(host->watch(), usb::Watch::polling);
    auto ev = ctx->events();
    auto* dev = fake->plug(cp2112_spec(cp2112_model(), {2}));
    ASSERT_TRUE(host->settle(kWait));
    ASSERT_EQ(ctx->devices().size(), 1u);
    Device d = ctx->devices()[0];
    // The departure is seen by re-enumeration even with no transfer running.
    fake->unplug(dev);
    ASSERT_TRUE(host->settle(kWait));
    EXPECT_TRUE(d.wait_gone(kWait));
    // And the polling itself (not only settle) finds arrivals.
    fake->plug(cp2112_spec(cp2112_model("P2"), {3}));
    auto arrived = next_of(ev, Event::Type::arrived);
    while (arrived && arrived->device.serial != "P2") arrived = next_of(ev, Event::Type::arrived);
    ASSERT_TRUE(arrived);
}

TEST_F(HostTest, WithoutWatchingLaterArrivalsAreNotBound) {
    usb::Options o;
    o.hotplug = false;
    start(o);
    EXPECT_EQ(host->watch(), usb::Watch::none);
    fake->plug(cp2112_spec(cp2112_model(), {2}));
    ASSERT_TRUE(host->settle(kWait));
    EXPECT_TRUE(ctx->devices().empty());
}

// On a handle that can run control transfers itself (usbfs's blocking
// request), the CP2112's feature reports (GPIO, configuration) go that way:
// no control transfer is submitted for a GPIO call. The model still sees
// every request, and an unplug still ends in ENODEV.
TEST_F(HostTest, Cp2112GpioRunsAsSynchronousControlTransfers) {
    fake->sync_control_capable = true;
    auto model = cp2112_model();
    auto* dev = fake->plug(cp2112_spec(model, {2}));
    start();
    Device d = ctx->devices().at(0);
    auto chip = d.gpio_chip().value();
    RequestConfig cfg;
    cfg.lines.push_back({0, LineSettings{Direction::output}});
    cfg.lines.push_back({1, LineSettings{Direction::input}});
    auto req = chip.request_lines(cfg);
    ASSERT_TRUE(req.ok()) << req.error().message;
    const auto submitted = fake->submitted();
    const auto sync = fake->sync_controls();
    ASSERT_TRUE(req.value().set_value(0, 1).ok());
    EXPECT_EQ(model->pin_level(0), 1);
    model->set_input_level(1, 1);
    EXPECT_EQ(req.value().get_value(1).value(), 1);
    ASSERT_TRUE(req.value().set_value(0, 0).ok());
    EXPECT_EQ(model->pin_level(0), 0);
    model->set_input_level(1, 0);
    EXPECT_EQ(req.value().get_value(1).value(), 0);
    EXPECT_EQ(fake->sync_controls(), sync + 4);
    EXPECT_EQ(fake->submitted(), submitted);

    // I2C still goes through the interrupt endpoints.
    auto bus = d.i2c_bus().value();
    std::array<uint8_t, 2> addr{0x00, 0x00};
    std::array<uint8_t, 4> got{};
    ASSERT_TRUE(bus.write_read(0x50, addr, got).ok());
    EXPECT_TRUE(std::equal(got.begin(), got.end(), model->eeprom_contents().begin()));

    fake->unplug(dev, LIBUSB_TRANSFER_ERROR);
    EXPECT_EQ(req.value().get_value(1).code(), errc(ENODEV));
    EXPECT_TRUE(d.wait_gone(kWait));
}

TEST_F(HostTest, DestroyingTheHostRemovesItsDevicesAndGivesTheKernelDriverBack) {
    FakeDeviceSpec spec = cp2112_spec(cp2112_model(), {2});
    spec.kernel_drivers = true;  // usbhid holds the HID interface
    auto* dev = fake->plug(spec);
    start();
    ASSERT_EQ(ctx->devices().size(), 1u);
    EXPECT_FALSE(fake->kernel_driver_bound(dev, 0));
    Device d = ctx->devices()[0];
    auto chip = d.gpio_chip().value();
    host.reset();
    EXPECT_EQ(d.state(), DeviceState::gone);
    EXPECT_EQ(chip.line_info(0).code(), errc(ENODEV));
    EXPECT_TRUE(ctx->devices().empty());
    EXPECT_EQ(fake->open_handles(), 0);
    EXPECT_TRUE(fake->kernel_driver_bound(dev, 0));
    const auto log = fake->log();
    EXPECT_EQ(log.back(), "exit");  // the event thread stopped with the host
}

// A device that leaves while its driver is being probed.
FakeLibusb* g_fake = nullptr;
FakeLibusb::Dev* g_dev = nullptr;

Result<Device> unplugging_probe(driver::DeviceSlot& slot, std::unique_ptr<usb::Transport> t) {
    g_fake->unplug(g_dev, LIBUSB_TRANSFER_ERROR);
    return cp2112::probe(slot, std::move(t));
}

Result<Device> probe_then_unplug(driver::DeviceSlot& slot, std::unique_ptr<usb::Transport> t) {
    auto r = cp2112::probe(slot, std::move(t));
    g_fake->unplug(g_dev, LIBUSB_TRANSFER_NO_DEVICE);
    return r;
}

TEST_F(HostTest, DepartureDuringProbe) {
    auto model = cp2112_model();
    FakeDeviceSpec spec = cp2112_spec(model, {2});
    g_fake = fake.get();
    g_dev = fake->plug(spec);
    start({}, {host::ChipEntry{"cp2112", "cp2112", 0x10C4, 0xEA90, {0}, &unplugging_probe}});
    EXPECT_TRUE(ctx->devices().empty());
    ASSERT_TRUE(host->settle(kWait));
    EXPECT_TRUE(host->unbound().empty());  // it left: neither bound nor listed
}

TEST_F(HostTest, DepartureRightAfterProbe) {
    auto model = cp2112_model();
    g_fake = fake.get();
    g_dev = fake->plug(cp2112_spec(model, {2}));
    auto ev = ctx->events();
    start({}, {host::ChipEntry{"cp2112", "cp2112", 0x10C4, 0xEA90, {0}, &probe_then_unplug}});
    ASSERT_TRUE(next_of(ev, Event::Type::arrived));
    ASSERT_TRUE(next_of(ev, Event::Type::removed));
    EXPECT_TRUE(ctx->devices().empty());
}

TEST_F(HostTest, ContextsDeviceOutlivesTheHostHandle) {
    fake->plug(cp2112_spec(cp2112_model(), {2}));
    start();
    Device d = ctx->devices().at(0);
    auto bus = d.i2c_bus().value();
    host.reset();
    std::array<uint8_t, 1> b{};
    EXPECT_EQ(bus.read(0x50, b).code(), errc(ENODEV));
}

}  // namespace
}  // namespace usbio::test
