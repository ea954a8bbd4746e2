// SPDX-License-Identifier: Apache-2.0
// The at24 driver against the 24Cxx model on a bare simulated bus (no USB
// adapter between): write protection, ACK polling that ends at abort, and
// pages longer than the adapter's longest write.
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>

#include "at24/chip.hpp"
#include "models/eeprom_24cxx.hpp"
#include "models/i2c_bus.hpp"

using namespace usbio;

namespace {

std::error_code errc(int e) { return std::error_code(e, std::generic_category()); }

// A client bus straight onto a models::I2cBus, counting address NACKs.
class ModelBus final : public driver::ClientBus {
public:
    ModelBus(std::shared_ptr<models::I2cBus> bus, uint16_t addr, std::size_t max_write)
        : bus_(std::move(bus)), addr_(addr) {
        info_.name = "model i2c";
        info_.max_write = max_write;
        info_.max_read = 512;
        info_.max_write_before_read = 16;
        info_.repeated_start = true;
    }
    const I2cBusInfo& info() const override { return info_; }
    uint16_t address() const override { return addr_; }
    const std::string& name() const override { return name_; }
    std::error_code transfer(std::span<I2cMsg> msgs) override {
        if (aborted_) return errc(ENODEV);
        models::I2cOutcome out;
        const auto a = uint8_t(msgs[0].addr);
        if (msgs.size() == 2) {
            out = bus_->write_read(a, msgs[0].buf, msgs[1].buf.size());
        } else if (msgs[0].flags & I2cMsg::read) {
            out = bus_->read_transaction(a, msgs[0].buf.size());
        } else {
            out = bus_->write_transaction(a, msgs[0].buf);
        }
        if (out.result == models::I2cResult::addr_nack) {
            std::lock_guard lk(mu_);
            ++nacks_;
            cv_.notify_all();
            return errc(ENXIO);
        }
        if (out.result != models::I2cResult::ok) return errc(EIO);
        if (msgs.back().flags & I2cMsg::read) std::copy(out.data.begin(), out.data.end(), msgs.back().buf.begin());
        return {};
    }
    std::string failure_detail() override { return {}; }
    void abort() noexcept override { aborted_ = true; }

    // Waits (bounded) until the part has NACKed n times.
    bool wait_nacks(int n) {
        std::unique_lock lk(mu_);
        return cv_.wait_for(lk, std::chrono::seconds(10), [&] { return nacks_ >= n; });
    }

private:
    std::shared_ptr<models::I2cBus> bus_;
    const uint16_t addr_;
    I2cBusInfo info_;
    const std::string name_ = "i2c 0x50 on the model bus";
    std::atomic<bool> aborted_{false};
    std::mutex mu_;
    std::condition_variable cv_;
    int nacks_ = 0;
};

struct Rig {
    std::shared_ptr<models::I2cBus> bus = std::make_shared<models::I2cBus>();
    std::shared_ptr<models::Eeprom24cxx> part;
    ModelBus* client_bus = nullptr;
    std::unique_ptr<at24::Chip> chip;

    Rig(const char* type, std::chrono::microseconds cycle, std::size_t max_write = 61,
        std::chrono::milliseconds timeout = at24::kWriteTimeout) {
        auto config = *models::eeprom_24cxx_part(type);
        config.write_cycle = cycle;
        part = std::make_shared<models::Eeprom24cxx>(config);
        part->attach_to(*bus, 0x50);
        auto b = std::make_unique<ModelBus>(bus, 0x50, max_write);
        client_bus = b.get();
        chip = std::make_unique<at24::Chip>(*at24::find_at24_type(type), std::move(b), timeout);
        EXPECT_FALSE(chip->probe());
    }
};

TEST(At24Chip, AWriteProtectedPartIsErofsAndKeepsItsData) {
    Rig rig("m24c02", std::chrono::microseconds(0));
    rig.part->set_write_protect(true);
    const uint8_t data[4] = {1, 2, 3, 4};
    EXPECT_EQ(rig.chip->write_page(0x10, data), errc(EROFS));
    EXPECT_NE(rig.chip->failure_detail().find("write-protected"), std::string::npos) << rig.chip->failure_detail();
    EXPECT_EQ(rig.part->contents(), std::vector<uint8_t>(256, 0xFF));
    rig.part->set_write_protect(false);
    EXPECT_FALSE(rig.chip->write_page(0x10, data));
    EXPECT_EQ(rig.part->contents()[0x13], 4);
}

TEST(At24Chip, AckPollingEndsAtAbortNotAtItsTimeout) {
    // A timeout far beyond the test's bound: only the abort can end the wait.
    Rig rig("24c32", std::chrono::milliseconds(60000), 61, std::chrono::milliseconds(60000));
    const uint8_t data[4] = {1, 2, 3, 4};
    auto writer = std::async(std::launch::async, [&] { return rig.chip->write_page(0, data); });
    ASSERT_TRUE(rig.client_bus->wait_nacks(3));  // polling a busy part
    rig.chip->abort_io();
    ASSERT_EQ(writer.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_EQ(writer.get(), errc(ENODEV));
}

TEST(At24Chip, ABusyPartThatNeverFinishesIsEtimedout) {
    Rig rig("24c32", std::chrono::milliseconds(60000));
    const uint8_t data[4] = {1, 2, 3, 4};
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(rig.chip->write_page(0, data), errc(ETIMEDOUT));
    EXPECT_GE(std::chrono::steady_clock::now() - t0, at24::kWriteTimeout);
    EXPECT_NE(rig.chip->failure_detail().find("0x50"), std::string::npos) << rig.chip->failure_detail();
}

TEST(At24Chip, APageLongerThanTheAdaptersWriteGoesInPieces) {
    Rig rig("24c512", std::chrono::microseconds(0), 20);  // 18 data bytes per write
    std::vector<uint8_t> page(128);
    for (std::size_t i = 0; i < page.size(); ++i) page[i] = uint8_t(i + 1);
    ASSERT_FALSE(rig.chip->write_page(0x100, page));
    const auto mem = rig.part->contents();
    EXPECT_TRUE(std::equal(page.begin(), page.end(), mem.begin() + 0x100));
    std::vector<uint8_t> back(128);
    ASSERT_FALSE(rig.chip->read(0x100, back));
    EXPECT_EQ(back, page);
}

TEST(At24Chip, ReadsStopAtTheBlockBoundaryOfMultiAddressParts) {
    Rig rig("24c16", std::chrono::microseconds(0));
    std::vector<uint8_t> image(2048);
    for (std::size_t i = 0; i < image.size(); ++i) image[i] = uint8_t(i ^ (i >> 8));
    rig.part->set_contents(0, image);
    std::vector<uint8_t> back(600);
    ASSERT_FALSE(rig.chip->read(0xF0, back));  // blocks 0, 1, 2 and 3 (addresses 0x50-0x53)
    EXPECT_TRUE(std::equal(back.begin(), back.end(), image.begin() + 0xF0));
}

}  // namespace
