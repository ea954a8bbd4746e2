// SPDX-License-Identifier: Apache-2.0
// Opening a device: permission denied, another program holding it, kernel
// drivers in the way, devices that leave while being opened.
#include "libusb_fixture.hpp"

namespace usbio::test {
namespace {

Result<std::unique_ptr<usb::LibusbTransport>> try_open(const std::shared_ptr<usb::LibusbContext>& ctx,
                                                       FakeLibusb::Dev* dev, std::optional<uint8_t> itf = 0) {
    return usb::LibusbTransport::open(ctx, FakeLibusb::as_libusb(dev), itf, "cp2112 [1-2]");
}

TEST_F(LibusbTest, PermissionDeniedSaysHowToInstallTheUdevRules) {
    auto* dev = plug();
    fake->set_open_error(dev, LIBUSB_ERROR_ACCESS);
    auto r = try_open(ctx, dev);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EACCES));
    const std::string& m = r.error().message;
    EXPECT_NE(m.find("cp2112 [1-2]"), std::string::npos) << m;
    EXPECT_NE(m.find("/dev/bus/usb/001/"), std::string::npos) << m;
    EXPECT_NE(m.find("70-usbio.rules"), std::string::npos) << m;
    EXPECT_NE(m.find("sudo cmake --install build/default"), std::string::npos) << m;
    EXPECT_NE(m.find("/etc/udev/rules.d/"), std::string::npos) << m;
    EXPECT_NE(m.find("sudo udevadm control --reload-rules && sudo udevadm trigger"), std::string::npos) << m;
    EXPECT_NE(m.find("plugdev"), std::string::npos) << m;
}

TEST_F(LibusbTest, InterfaceHeldByAnotherProgramIsBusyAndLeftAlone) {
    auto* dev = plug();
    auto first = open(dev);  // "another program"
    ASSERT_TRUE(first);
    auto r = try_open(ctx, dev);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EBUSY));
    EXPECT_NE(r.error().message.find("another program"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("interface 0"), std::string::npos) << r.error().message;
    // The holder is not disturbed.
    Async a;
    first->submit(interrupt_in(), a.callback());
    libusb_transfer* x = fake->wait_for_endpoint(0x81);
    ASSERT_NE(x, nullptr);
    fake->complete(x, LIBUSB_TRANSFER_COMPLETED, {1});
    EXPECT_FALSE(a.get().status);
}

TEST_F(LibusbTest, BusyClaimGivesTheKernelDriverBack) {
    FakeDeviceSpec spec = scripted_spec();
    spec.interfaces[0].kernel_driver = true;
    auto* dev = plug(spec);
    fake->set_claim_error(dev, LIBUSB_ERROR_BUSY);
    auto r = try_open(ctx, dev);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EBUSY));
    EXPECT_TRUE(fake->kernel_driver_bound(dev, 0));
    EXPECT_EQ(fake->log(), (std::vector<std::string>{"open", "detach 0", "attach 0", "close"}));
}

TEST_F(LibusbTest, ClaimDeniedIsEacces) {
    auto* dev = plug();
    fake->set_claim_error(dev, LIBUSB_ERROR_ACCESS);
    auto r = try_open(ctx, dev);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EACCES));
    EXPECT_NE(r.error().message.find("70-usbio.rules"), std::string::npos);
}

TEST_F(LibusbTest, DeviceGoneBeforeOpen) {
    auto* dev = plug();
    fake->unplug(dev);
    auto r = try_open(ctx, dev);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(ENODEV));
}

TEST_F(LibusbTest, DeviceGoneWhileReadingStrings) {
    auto* dev = plug();
    fake->set_submit_error(dev, LIBUSB_ERROR_NO_DEVICE);
    auto r = try_open(ctx, dev);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(ENODEV));
    EXPECT_EQ(fake->log(), (std::vector<std::string>{"open", "claim 0", "release 0", "close"}));
}

TEST_F(LibusbTest, NoSuchInterface) {
    auto* dev = plug();
    auto r = try_open(ctx, dev, 3);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EINVAL));
    EXPECT_TRUE(fake->log().empty());  // not even opened
}

TEST_F(LibusbTest, OpenWithoutAnInterfaceClaimsNothing) {
    FakeDeviceSpec spec = scripted_spec(0x0403, 0x6014);
    spec.interfaces[0].kernel_driver = true;  // ftdi_sio stays bound
    auto* dev = plug(spec);
    auto t = open(dev, std::nullopt);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->identity().serial, "SCRIPT01");
    EXPECT_TRUE(t->identity().interfaces.empty());
    EXPECT_TRUE(fake->kernel_driver_bound(dev, 0));
    Async a;
    t->submit(interrupt_in(), a.callback());  // no endpoint without an interface
    EXPECT_EQ(a.get().status, errc(EINVAL));
    t.reset();
    EXPECT_EQ(fake->log(), (std::vector<std::string>{"open", "close"}));
}

TEST_F(LibusbTest, DeviceWithoutStringsIsStillUsable) {
    FakeDeviceSpec spec = scripted_spec();
    spec.manufacturer.clear();
    spec.product.clear();
    spec.serial.clear();
    auto t = open(plug(spec));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->identity().serial, "");
    EXPECT_TRUE(t->connected());
}

}  // namespace
}  // namespace usbio::test
