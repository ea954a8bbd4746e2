// SPDX-License-Identifier: Apache-2.0
// A driver made for testing core: it implements the ops in memory and can
// block, fail, or start its own removal from inside a call, on request.
// It records what core did to it in a State that outlives the driver, so
// tests can check the removal contract (no call inside at teardown, abort
// before drain, teardown exactly once).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

#include "usbio/context.hpp"
#include "usbio/driver/provider.hpp"

namespace usbio::test {

enum class I2cMode {
    echo,                   // writes store bytes, reads return them
    block_until_abort,      // waits until abort_io, then ENODEV (a transfer cancelled by unplug)
    block_stubborn,         // waits until the test calls release(), ignoring abort_io
    block_until_abort_eio,  // waits until abort_io, then EIO (a driver that saw a cut-off transfer)
    remove_inside,          // calls DeviceLink::remove() from inside, then ENODEV
    request_remove_inside,  // calls DeviceLink::request_remove() from inside, then ENODEV
    fail_enodev,            // returns ENODEV as a driver that saw the device vanish
};

struct FakeState {
    std::mutex mu;
    std::condition_variable cv;
    I2cMode mode = I2cMode::echo;
    bool aborted = false;
    bool released = false;
    int blocked = 0;  // calls parked in a blocking mode
    std::atomic<int> inside{0};
    std::atomic<int> abort_calls{0};
    std::atomic<int> destroyed{0};
    std::atomic<int> calls_after_destroy{0};
    std::atomic<int> inside_at_destroy{-1};
    driver::DeviceLink link;
    std::atomic<uint64_t> input_flip{0};  // XORed into every read: a wire driven from outside
    int gets = 0;                         // reads made (guarded by mu)
    bool all_ack_checks = false;          // set before publishing: the bus has every AckCheck mode

    // Waits until the driver has served n more reads than `since`.
    bool wait_gets(int n) {
        std::unique_lock lk(mu);
        return cv.wait_for(lk, std::chrono::seconds(10), [&] { return gets >= n; });
    }

    void release() {
        std::lock_guard lk(mu);
        released = true;
        cv.notify_all();
    }
    // Waits until n calls are parked; bounded so a broken build fails, not hangs.
    bool wait_blocked(int n) {
        std::unique_lock lk(mu);
        return cv.wait_for(lk, std::chrono::seconds(10), [&] { return blocked >= n; });
    }
    bool wait_aborted() {
        std::unique_lock lk(mu);
        return cv.wait_for(lk, std::chrono::seconds(10), [&] { return aborted; });
    }
};

class FakeDriver final : public driver::Provider, public driver::GpioOps, public driver::I2cOps {
public:
    explicit FakeDriver(std::shared_ptr<FakeState> st) : st_(std::move(st)) {}
    ~FakeDriver() override {
        st_->inside_at_destroy = st_->inside.load();
        st_->destroyed++;
        std::memset(mem_, 0xdd, sizeof mem_);  // poison: a later read shows up under ASan/asserts
    }

    void abort_io() noexcept override {
        st_->abort_calls++;
        std::lock_guard lk(st_->mu);
        st_->aborted = true;
        st_->cv.notify_all();
    }

    // GpioOps: 8 lines in memory.
    // Core does not serialise driver calls, so the driver locks its own state.
    std::error_code configure(unsigned offset, const driver::GpioLineConfig& cfg) override {
        Enter e(*this);
        std::lock_guard lk(mem_mu_);
        cfg_[offset] = cfg;
        if (cfg.direction == Direction::output) set_bit(offset, cfg.value);
        return {};
    }
    std::error_code get_config(unsigned offset, driver::GpioLineConfig& cfg) override {
        Enter e(*this);
        std::lock_guard lk(mem_mu_);
        cfg = cfg_[offset];
        return {};
    }
    std::error_code get(uint64_t mask, uint64_t& levels) override {
        Enter e(*this);
        {
            std::lock_guard lk(mem_mu_);
            levels = (levels_ ^ st_->input_flip.load()) & mask;
        }
        std::lock_guard lk(st_->mu);
        st_->gets++;
        st_->cv.notify_all();
        return {};
    }
    std::error_code set(uint64_t mask, uint64_t levels) override {
        Enter e(*this);
        std::lock_guard lk(mem_mu_);
        levels_ = (levels_ & ~mask) | (levels & mask);
        return {};
    }

    // I2cOps.
    std::error_code transfer(std::span<I2cMsg> msgs) override {
        Enter e(*this);
        I2cMode mode;
        {
            std::lock_guard lk(st_->mu);
            mode = st_->mode;
        }
        switch (mode) {
        case I2cMode::echo: {
            std::lock_guard lk(mem_mu_);
            for (auto& m : msgs) {
                if (m.addr != 0x50) return std::error_code(ENXIO, std::generic_category());
                if (m.flags & I2cMsg::read) {
                    for (std::size_t i = 0; i < m.buf.size(); ++i) m.buf[i] = mem_[i % sizeof mem_];
                } else {
                    for (std::size_t i = 0; i < m.buf.size(); ++i) mem_[i % sizeof mem_] = m.buf[i];
                }
            }
            return {};
        }
        case I2cMode::block_until_abort:
        case I2cMode::block_until_abort_eio:
        case I2cMode::block_stubborn: {
            std::unique_lock lk(st_->mu);
            st_->blocked++;
            st_->cv.notify_all();
            st_->cv.wait(lk, [&] { return st_->released || (mode != I2cMode::block_stubborn && st_->aborted); });
            st_->blocked--;
            // A stubborn call completes its work; an aborted one reports the unplug.
            if (mode != I2cMode::block_stubborn && st_->aborted)
                return std::error_code(mode == I2cMode::block_until_abort ? ENODEV : EIO, std::generic_category());
            return {};
        }
        case I2cMode::remove_inside: st_->link.remove(); return std::error_code(ENODEV, std::generic_category());
        case I2cMode::request_remove_inside:
            st_->link.request_remove();
            return std::error_code(ENODEV, std::generic_category());
        case I2cMode::fail_enodev: return std::error_code(ENODEV, std::generic_category());
        }
        return {};
    }
    std::error_code set_bitrate(uint32_t hz) override {
        Enter e(*this);
        std::lock_guard lk(mem_mu_);
        bitrate_ = hz;
        return {};
    }
    std::error_code get_bitrate(uint32_t& hz) override {
        Enter e(*this);
        std::lock_guard lk(mem_mu_);
        hz = bitrate_;
        return {};
    }
    std::error_code set_ack_check(AckCheck mode) override {
        Enter e(*this);
        if (!st_->all_ack_checks) return driver::I2cOps::set_ack_check(mode);
        std::lock_guard lk(mem_mu_);
        ack_check_ = mode;
        return {};
    }
    std::error_code get_ack_check(AckCheck& mode) override {
        Enter e(*this);
        std::lock_guard lk(mem_mu_);
        mode = ack_check_;
        return {};
    }

private:
    // Counts calls inside the driver, and calls that arrive after teardown.
    struct Enter {
        explicit Enter(FakeDriver& d) : d(d) {
            if (d.st_->destroyed) d.st_->calls_after_destroy++;
            d.st_->inside++;
        }
        ~Enter() { d.st_->inside--; }
        FakeDriver& d;
    };
    void set_bit(unsigned o, bool v) { levels_ = v ? (levels_ | (1ull << o)) : (levels_ & ~(1ull << o)); }

    std::shared_ptr<FakeState> st_;
    driver::GpioLineConfig cfg_[8] = {};
    uint64_t levels_ = 0;
    uint32_t bitrate_ = 100000;
    AckCheck ack_check_ = AckCheck::at_end;
    uint8_t mem_[64] = {};
    std::mutex mem_mu_;
};

// Publishes a fake device into `slot`, as a driver's probe does.
inline Result<Device> publish_fake(driver::DeviceSlot& slot, const std::shared_ptr<FakeState>& st,
                                   const std::string& serial = "FAKE1") {
    auto drv = std::make_unique<FakeDriver>(st);
    DeviceInfo info;
    info.id = "fake-" + serial;
    info.driver = "fake";
    info.serial = serial;
    info.path = "fake:" + serial;
    driver::DeviceBuilder b(slot, info);
    b.add_gpio_chip({"fake-" + serial, "fake_gpio", {"A0", "A1", "A2", "A3", "A4", "A5", "A6", "A7"}}, *drv);
    I2cBusInfo bi;
    bi.name = "fake i2c";
    bi.max_write = 64;
    bi.max_read = 64;
    bi.max_write_before_read = 16;
    bi.repeated_start = true;
    bi.min_bitrate = 10000;
    bi.max_bitrate = 400000;
    bi.ack_check_modes = st->all_ack_checks;
    b.add_i2c_bus(bi, *drv);
    return b.publish(std::move(drv));
}

// Publishes a fake device on ctx; returns the device and its state.
inline std::pair<Device, std::shared_ptr<FakeState>> add_fake(Context& ctx, const std::string& serial = "FAKE1") {
    auto st = std::make_shared<FakeState>();
    driver::DeviceSlot slot(ctx);
    st->link = slot.link();
    auto dev = publish_fake(slot, st, serial);
    if (!dev) std::abort();  // nothing reported this slot gone
    return {*dev, st};
}

}  // namespace usbio::test
