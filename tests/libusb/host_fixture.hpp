// SPDX-License-Identifier: Apache-2.0
// The host on the fake libusb: a Context, a Host started on demand, and the
// checks every test ends with (nothing left open, referenced or violated).
#pragma once

#include <algorithm>
#include <memory>
#include <optional>

#include <gtest/gtest.h>

#include "fake_libusb.hpp"
#include "host/chip_table.hpp"
#include "host/usb_host.hpp"
#include "models/cp2112_model.hpp"
#include "usbio/usbio.hpp"

namespace usbio::test {

using namespace std::chrono_literals;
constexpr auto kWait = std::chrono::seconds(10);

inline std::error_code errc(int e) { return {e, std::generic_category()}; }

inline std::shared_ptr<models::Cp2112Model> cp2112_model(const std::string& serial = "REAL0001") {
    models::Cp2112Options o;
    o.serial = serial;
    return std::make_shared<models::Cp2112Model>(o);
}

inline FakeDeviceSpec ftdi_spec(uint16_t pid, int interfaces, std::vector<uint8_t> ports) {
    FakeDeviceSpec s = scripted_spec(0x0403, pid);
    s.interfaces.clear();
    for (int i = 0; i < interfaces; ++i) {
        FakeInterface itf;
        itf.number = static_cast<uint8_t>(i);
        itf.endpoints = {{static_cast<uint8_t>(0x81 + 2 * i), LIBUSB_TRANSFER_TYPE_BULK, 512},
                         {static_cast<uint8_t>(0x02 + 2 * i), LIBUSB_TRANSFER_TYPE_BULK, 512}};
        itf.kernel_driver = true;  // ftdi_sio
        s.interfaces.push_back(itf);
    }
    s.ports = std::move(ports);
    return s;
}

// A chip whose driver refuses it at probe, held by a kernel driver.
inline Result<Device> refusing_probe(driver::DeviceSlot&, std::unique_ptr<usb::Transport> t) {
    return make_error(EPROTO, "testchip [" + t->identity().path + "]: not the chip it claims to be");
}

inline host::ChipEntry refusing_testchip() { return {"testchip", "test", 0x1234, 0x0001, {0}, &refusing_probe}; }

inline FakeDeviceSpec testchip_spec() {
    FakeDeviceSpec spec = scripted_spec(0x1234, 0x0001);
    spec.interfaces[0].kernel_driver = true;
    return spec;
}

inline std::optional<Event> next_of(EventStream& ev, Event::Type type) {
    for (;;) {
        auto e = ev.next(kWait);
        if (!e || e->type == type) return e;
    }
}

class HostTest : public ::testing::Test {
protected:
    void SetUp() override { fake = std::make_shared<FakeLibusb>(); }

    void TearDown() override {
        host.reset();
        ctx.reset();
        EXPECT_EQ(fake->violations(), std::vector<std::string>{});
        EXPECT_EQ(fake->open_handles(), 0);
        EXPECT_EQ(fake->device_refs(), 0);
        const auto log = fake->log();
        EXPECT_TRUE(std::find(log.begin(), log.end(), "exit") != log.end()) << "libusb_exit was not called";
    }

    std::shared_ptr<host::UsbHost> start(usb::Options o = {}, std::vector<host::ChipEntry> table = host::chip_table()) {
        auto h = host::UsbHost::start(*ctx, fake, o, std::move(table));
        EXPECT_TRUE(h.ok()) << (h.ok() ? "" : h.error().message);
        if (!h.ok()) return nullptr;
        host = std::move(h).value();
        return host;
    }

    std::shared_ptr<FakeLibusb> fake;
    std::unique_ptr<Context> ctx = std::make_unique<Context>();
    std::shared_ptr<host::UsbHost> host;
};

}  // namespace usbio::test
