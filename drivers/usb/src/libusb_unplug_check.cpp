// SPDX-License-Identifier: Apache-2.0
// The unplug check: an I/O error is how most unplugs first show (the host
// controller fails the transfers in flight before usbfs reports the device
// gone), but it may also be a real I/O error on a device that is still
// there. A GET_CONFIGURATION request to the device tells them apart: on a
// departed device it fails with "no device" (or cannot even be submitted);
// a device that is still on the bus but lost its configuration (deauthorised
// in sysfs, reset) answers 0, and its interfaces, ours among them, are gone
// just the same. Any other answer means the device is there: the error was
// an I/O error.
#include <cerrno>

#include "libusb_engine.hpp"
#include "usbio/usb/ch9.hpp"

namespace usbio::usb::detail {

namespace {

using namespace ch9;

constexpr std::chrono::milliseconds kProbeTimeout{500};
// An unplug in progress can fail the check itself with an I/O error; it is
// asked again after a pause that gives usbfs time to mark the device gone.
constexpr int kProbeAttempts = 3;
constexpr std::chrono::milliseconds kProbeRetryDelay{25};

constexpr uint16_t kConfigurationLength = 1;

}  // namespace

void LibusbEngine::start_check_locked() {
    if (checking_) return;  // the running check answers for every held transfer
    if (gone_ || closing_ || aborted_) {
        resolve_held_locked(gone_ ? ENODEV : EIO);
        return;
    }
    checking_ = true;
    check_attempts_ = 0;
    submit_probe_locked();
}

void LibusbEngine::submit_probe_locked() {
    ++check_attempts_;
    libusb_transfer* xfer = api_.alloc_transfer(0);
    if (!xfer) {
        end_check_locked(EIO);
        return;
    }
    auto* f = new Flight;
    f->xfer = xfer;
    f->in = true;
    f->data_offset = LIBUSB_CONTROL_SETUP_SIZE;
    f->buf.resize(LIBUSB_CONTROL_SETUP_SIZE + kConfigurationLength);
    libusb_fill_control_setup(f->buf.data(), kStandardDeviceIn, kGetConfiguration, 0, 0, kConfigurationLength);
    libusb_fill_control_transfer(xfer, handle_.get(), f->buf.data(), &LibusbEngine::on_transfer, f,
                                 static_cast<unsigned int>(kProbeTimeout.count()));
    f->engine = shared_from_this();
    const int r = api_.submit_transfer(xfer);
    if (r == 0) {
        probe_ = f;
        ++in_libusb_;
        return;
    }
    api_.free_transfer(xfer);
    delete f;
    if (r == LIBUSB_ERROR_NO_DEVICE) {
        declare_gone_locked();
        end_check_locked(ENODEV);
    } else if (r == LIBUSB_ERROR_IO) {
        retry_or_end_check_locked();
    } else {
        end_check_locked(EIO);
    }
}

void LibusbEngine::finish_check(Flight* f, int status, std::size_t actual) {
    {
        std::lock_guard lk(mu_);
        probe_ = nullptr;  // from here on nobody cancels it
    }
    const bool unconfigured =
        status == LIBUSB_TRANSFER_COMPLETED && actual >= kConfigurationLength && f->buf[f->data_offset] == 0;
    api_.free_transfer(f->xfer);
    delete f;
    std::lock_guard lk(mu_);
    --in_libusb_;
    if (status == LIBUSB_TRANSFER_NO_DEVICE || unconfigured) {
        declare_gone_locked();
        end_check_locked(ENODEV);
    } else if (status == LIBUSB_TRANSFER_ERROR && !gone_ && !closing_ && !aborted_) {
        retry_or_end_check_locked();
    } else {
        // Answered (even a stall is an answer), timed out, or cancelled by
        // teardown: the device is not known to be gone.
        end_check_locked(gone_ ? ENODEV : EIO);
    }
    after_libusb_returned_locked();
    idle_cv_.notify_all();
}

void LibusbEngine::retry_or_end_check_locked() {
    if (check_attempts_ >= kProbeAttempts) {
        end_check_locked(EIO);
        return;
    }
    ctx_.post_after(kProbeRetryDelay * check_attempts_, [w = weak_from_this()] {
        if (auto self = w.lock()) self->retry_probe();
    });
}

void LibusbEngine::retry_probe() {
    std::lock_guard lk(mu_);
    if (!checking_ || probe_) return;
    if (gone_ || closing_ || aborted_) {
        end_check_locked(gone_ ? ENODEV : EIO);
        return;
    }
    submit_probe_locked();
}

void LibusbEngine::end_check_locked(int error) {
    checking_ = false;
    resolve_held_locked(error);
}

void LibusbEngine::resolve_held_locked(int error) {
    if (held_.empty()) return;
    for (auto& h : held_) {
        h.result.status = std::error_code(error, std::generic_category());
        ready_.push_back(std::move(h));
    }
    held_.clear();
    schedule_drain_locked();
}

}  // namespace usbio::usb::detail
