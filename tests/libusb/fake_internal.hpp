// SPDX-License-Identifier: Apache-2.0
// The fake's records of devices, handles and transfers.
#pragma once

#include <optional>

#include "fake_libusb.hpp"

namespace usbio::test {

struct FakeLibusb::Dev {
    FakeDeviceSpec spec;
    uint8_t address = 0;
    int refs = 0;
    bool present = true;        // usable: plugged in and authorised
    bool deauthorized = false;  // still listed, but unconfigured until authorize()
    int generation = 0;         // bumped by authorize(): older handles stay dead
    int open_error = 0;
    int claim_error = 0;
    int submit_error = 0;
    int submit_error_count = 0;  // -1: every submit
    int status_reply = LIBUSB_TRANSFER_COMPLETED;
    bool model_held = false;            // hold_model()
    std::map<int, bool> kernel_driver;  // by interface number
    std::map<int, Handle*> claimed_by;
};

// String descriptor `index` of the device (0: the language list); false: a
// STALL (no such string).
bool string_answer(const FakeLibusb::Dev& d, uint8_t index, std::vector<uint8_t>& reply);

struct FakeLibusb::Handle {
    Dev* dev = nullptr;
    int generation = 0;
    std::set<int> claimed;
    std::set<int> detached_here;  // kernel drivers this handle detached and has not given back
    int sync_in_progress = 0;     // sync_control() calls not returned yet
};

// Unplugged: everything on the handle fails with NO_DEVICE.
inline bool FakeLibusb::unplugged(const Handle* h) { return !h->dev->present && !h->dev->deauthorized; }

// The interfaces this handle knew are gone: the device was deauthorised
// since it was opened (and maybe authorised again, with interfaces a new
// handle must claim). Requests to the device itself on ep0 still work.
inline bool FakeLibusb::unconfigured(const Handle* h) {
    return h->dev->deauthorized || h->generation != h->dev->generation;
}

struct FakeLibusb::Flight {
    Dev* dev = nullptr;
    Handle* handle = nullptr;
    uint64_t seq = 0;
    std::optional<Clock::time_point> deadline;
    bool serving = false;  // a model call is working on it (outside the lock)
    bool parked = false;   // a model IN transfer the model NAKed
    bool cancel_requested = false;
};

struct FakeLibusb::ConfigBlob {
    libusb_config_descriptor config{};
    std::vector<libusb_interface> interfaces;
    std::vector<libusb_interface_descriptor> alts;
    std::vector<std::vector<libusb_endpoint_descriptor>> endpoints;
};

}  // namespace usbio::test
