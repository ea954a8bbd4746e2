// SPDX-License-Identifier: Apache-2.0
// The CP2112 driver below the public API: report parsing against malformed
// input, and probing devices that differ from a stock CP2112.
#include <gtest/gtest.h>

#include <array>
#include <cerrno>
#include <memory>
#include <mutex>
#include <optional>

#include "cp2112/probe.hpp"
#include "cp2112/reports.hpp"
#include "models/cp2112_model.hpp"
#include "usbio/usb/sim_transport.hpp"
#include "usbio/usbio.hpp"

namespace usbio::test {
namespace {

using namespace usbio::cp2112;

std::error_code errc(int e) { return std::error_code(e, std::generic_category()); }

TEST(Cp2112Reports, ReadResponseIsCheckedBeforeItIsUsed) {
    ReadResponse rr;
    std::vector<uint8_t> good(64, 0);
    good[0] = report::read_response;
    good[1] = 2;  // complete
    good[2] = 5;
    for (int i = 0; i < 5; ++i) good[3 + i] = static_cast<uint8_t>(0x10 + i);
    ASSERT_FALSE(parse_read_response(good, 5, rr));
    ASSERT_EQ(rr.data.size(), 5u);
    EXPECT_EQ(rr.data[4], 0x14);

    EXPECT_EQ(parse_read_response(std::span(good).first(2), 61, rr), errc(EPROTO));  // no count byte
    EXPECT_EQ(parse_read_response(std::span(good).first(7), 61, rr), errc(EPROTO));  // data cut short
    EXPECT_EQ(parse_read_response(good, 4, rr), errc(EPROTO));                       // more than asked
    auto bad = good;
    bad[2] = 0;
    EXPECT_EQ(parse_read_response(bad, 61, rr), errc(EPROTO));  // nothing
    bad[2] = 62;
    EXPECT_EQ(parse_read_response(bad, 512, rr), errc(EPROTO));  // more than fits
    bad = good;
    bad[1] = 7;
    EXPECT_EQ(parse_read_response(bad, 61, rr), errc(EPROTO));  // unknown status
    bad = good;
    bad[0] = report::status_response;
    EXPECT_EQ(parse_read_response(bad, 61, rr), errc(EPROTO));
    EXPECT_EQ(parse_read_response({}, 61, rr), errc(EPROTO));
}

TEST(Cp2112Reports, TransferStatusIsCheckedBeforeItIsUsed) {
    TransferStatus st;
    std::array<uint8_t, 7> good{report::status_response, 3, 0, 0, 1, 0x02, 0x00};
    ASSERT_FALSE(parse_transfer_status(good, st));
    EXPECT_EQ(st.state, XferState::error);
    EXPECT_EQ(st.retries, 1);
    EXPECT_EQ(st.received, 512);

    EXPECT_EQ(parse_transfer_status(std::span(good).first(3), st), errc(EPROTO));
    auto bad = good;
    bad[1] = 4;
    EXPECT_EQ(parse_transfer_status(bad, st), errc(EPROTO));
    bad = good;
    bad[6] = 0x01;  // 513 bytes received
    EXPECT_EQ(parse_transfer_status(bad, st), errc(EPROTO));
}

TEST(Cp2112Reports, RequestsCarryShiftedAddressesAndBigEndianLengths) {
    EXPECT_EQ(build_read_request(0x50, 512), (std::vector<uint8_t>{0x10, 0xA0, 0x02, 0x00}));
    const std::array<uint8_t, 2> out{0x12, 0x34};
    EXPECT_EQ(build_write_read_request(0x48, out, 2), (std::vector<uint8_t>{0x11, 0x90, 0x00, 0x02, 0x02, 0x12, 0x34}));
    EXPECT_EQ(build_write(0x7F, out), (std::vector<uint8_t>{0x14, 0xFE, 0x02, 0x12, 0x34}));
    EXPECT_EQ(build_force_send(61), (std::vector<uint8_t>{0x12, 0x00, 0x3D}));

    SmbusConfig c;
    c.clock_hz = 400'000;
    c.write_timeout_ms = 0x0102;
    c.read_timeout_ms = 0x0304;
    c.scl_low_timeout = true;
    c.retry_limit = 1;
    const auto r = build_smbus_config(c);
    SmbusConfig back;
    ASSERT_FALSE(parse_smbus_config(r, back));
    EXPECT_EQ(back.clock_hz, 400'000u);
    EXPECT_EQ(r[1], 0x00);
    EXPECT_EQ(r[2], 0x06);
    EXPECT_EQ(r[7], 0x01);
    EXPECT_EQ(back.read_timeout_ms, 0x0304);
    EXPECT_TRUE(back.scl_low_timeout);
    EXPECT_EQ(back.retry_limit, 1);
}

// A CP2112 model seen through a different USB face: endpoint numbers
// renumbered, an altered part number, or no endpoints at all.
class AlteredCp2112 final : public usb::DeviceModel {
public:
    struct Changes {
        uint8_t in_ep = 0x81;
        uint8_t out_ep = 0x01;
        std::optional<uint8_t> part_number;
        bool no_endpoints = false;
        // Transfer requests vanish: the chip never starts them.
        bool drop_requests = false;
        // The first final transfer status is held back and only sent after
        // the host's next Cancel Transfer: a reply that comes too late.
        bool delay_first_final_status = false;
    };

    explicit AlteredCp2112(Changes c) : inner_(std::make_shared<models::Cp2112Model>()), c_(c) {}

    usb::DeviceIdentity identity() const override {
        auto id = inner_->identity();
        for (auto& itf : id.interfaces) {
            if (c_.no_endpoints) itf.endpoints.clear();
            for (auto& ep : itf.endpoints) ep.address = (ep.address & usb::kDirIn) ? c_.in_ep : c_.out_ep;
        }
        return id;
    }
    std::vector<uint8_t> device_descriptor() const override { return inner_->device_descriptor(); }
    std::vector<uint8_t> config_descriptor() const override { return inner_->config_descriptor(); }
    usb::ControlReply control(const usb::ControlSetup& s, std::span<const uint8_t> out) override {
        auto reply = inner_->control(s, out);
        if (c_.part_number && s.bmRequestType == 0xA1 && s.wValue == 0x0305 && reply.data.size() >= 2)
            reply.data[1] = *c_.part_number;
        return reply;
    }
    bool out_packet(uint8_t ep, std::span<const uint8_t> data) override {
        if (!data.empty()) {
            const uint8_t id = data[0];
            if (c_.drop_requests && (id == 0x10 || id == 0x11 || id == 0x14)) return true;
            if (id == 0x17) {
                std::lock_guard lk(mu_);
                if (held_) {
                    late_ = std::move(held_);
                    held_.reset();
                }
            }
        }
        const bool ok = inner_->out_packet(ep == c_.out_ep ? 0x01 : ep, data);
        if (late_ready()) notify();
        return ok;
    }
    std::optional<std::vector<uint8_t>> in_packet(uint8_t ep) override {
        {
            std::lock_guard lk(mu_);
            if (late_) {
                auto r = std::move(late_);
                late_.reset();
                return r;
            }
        }
        auto r = inner_->in_packet(ep == c_.in_ep ? 0x81 : ep);
        if (r && c_.delay_first_final_status && r->size() >= 2 && (*r)[0] == 0x16 && ((*r)[1] == 2 || (*r)[1] == 3)) {
            std::lock_guard lk(mu_);
            if (!held_once_) {
                held_once_ = true;
                held_ = std::move(r);
                return std::nullopt;
            }
        }
        return r;
    }
    void set_in_ready_notifier(std::function<void()> n) override {
        {
            std::lock_guard lk(notify_mu_);
            notify_ = n;
        }
        inner_->set_in_ready_notifier(std::move(n));
    }
    void reset() override { inner_->reset(); }

    models::Cp2112Model& inner() { return *inner_; }

private:
    bool late_ready() {
        std::lock_guard lk(mu_);
        return late_.has_value();
    }
    void notify() {
        std::lock_guard lk(notify_mu_);
        if (notify_) notify_();
    }

    std::shared_ptr<models::Cp2112Model> inner_;
    Changes c_;
    std::mutex mu_;
    std::optional<std::vector<uint8_t>> held_, late_;
    bool held_once_ = false;
    std::mutex notify_mu_;
    std::function<void()> notify_;
};

Result<Device> probe_altered(Context& ctx, AlteredCp2112::Changes c,
                             std::shared_ptr<AlteredCp2112>* model_out = nullptr) {
    auto model = std::make_shared<AlteredCp2112>(c);
    if (model_out) *model_out = model;
    driver::DeviceSlot slot(ctx);
    return cp2112::probe(slot, std::make_unique<usb::SimTransport>(model, "sim:altered"));
}

TEST(Cp2112Probe, RefusesAnotherPartNumber) {
    Context ctx;
    AlteredCp2112::Changes c;
    c.part_number = 0x0D;
    auto r = probe_altered(ctx, c);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EPROTO));
    EXPECT_NE(r.error().message.find("part number 0x0D"), std::string::npos) << r.error().message;
    EXPECT_TRUE(ctx.devices().empty());
}

TEST(Cp2112Probe, RefusesADeviceWithoutAnInterruptInEndpoint) {
    Context ctx;
    AlteredCp2112::Changes c;
    c.no_endpoints = true;
    auto r = probe_altered(ctx, c);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc(EPROTO));
}

TEST(Cp2112Probe, TakesEndpointAddressesFromTheDescriptors) {
    Context ctx;
    AlteredCp2112::Changes c;
    c.in_ep = 0x83;
    c.out_ep = 0x04;
    auto r = probe_altered(ctx, c);
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto bus = r->i2c_bus().value();
    auto t = bus.read_word_data(0x48, 0x00);
    EXPECT_TRUE(t.ok()) << t.error().message;
    r->remove();
    EXPECT_EQ(r->state(), DeviceState::gone);
}

TEST(Cp2112Probe, AChipThatDoesNotStartTheTransferIsAnIoError) {
    Context ctx;
    AlteredCp2112::Changes c;
    c.drop_requests = true;
    auto r = probe_altered(ctx, c);
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto bus = r->i2c_bus().value();
    auto t = bus.read_word_data(0x48, 0x00);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.code(), errc(EIO)) << t.error().message;
}

TEST(Cp2112Probe, ALateReplyIsNotTakenForTheNextTransfers) {
    Context ctx;
    AlteredCp2112::Changes c;
    c.delay_first_final_status = true;
    std::shared_ptr<AlteredCp2112> model;
    auto r = probe_altered(ctx, c, &model);
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto bus = r->i2c_bus().value();

    // No target at 0x23: its final status (an address NACK) is held back
    // until the driver has given up and cancelled.
    const std::array<uint8_t, 1> one{0};
    auto first = bus.write(0x23, one);
    ASSERT_FALSE(first.ok());
    EXPECT_EQ(first.code(), errc(ETIMEDOUT)) << first.error().message;

    // The next transfer polls a busy chip for a while; the stale NACK must
    // not be read as its outcome.
    model->inner().set_slow(std::chrono::milliseconds(30));
    model->inner().set_temperature_millicelsius(22'000);
    auto t = bus.read_word_data(0x48, 0x00);
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(t.value(), 0x0016);
}

}  // namespace
}  // namespace usbio::test
