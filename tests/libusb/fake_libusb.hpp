// SPDX-License-Identifier: Apache-2.0
// A scripted stand-in for libusb-1.0, behind the LibusbApi seam.
//
// It keeps libusb's rules (callbacks only inside event handling, by the
// one thread holding the event lock, event waiters woken by every
// completion and every unlock, a close waiting for the lock, cancel is
// asynchronous and NOT_FOUND once a transfer finished, "no device" after an
// unplug, claiming an interface a kernel driver holds fails with BUSY) and
// records what its user did wrong: a close with transfers in flight, a close
// with an interface still claimed or a detached kernel driver not given
// back, freeing a transfer in flight, leaked device references, exit with
// handles open.
//
// Devices either serve transfers from a DeviceModel (the CP2112 model) or
// hold them until the test finishes them (complete()). Both answer string
// descriptor, GET_STATUS and GET_CONFIGURATION requests themselves.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "usbio/usb/device_model.hpp"
#include "usbio/usb/libusb_api.hpp"

namespace usbio::test {

struct FakeEndpoint {
    uint8_t address = 0;
    uint8_t attributes = LIBUSB_TRANSFER_TYPE_BULK;  // bmAttributes
    uint16_t max_packet = 64;
};

struct FakeInterface {
    uint8_t number = 0;
    uint8_t klass = 0xFF;
    std::vector<FakeEndpoint> endpoints;
    bool kernel_driver = false;  // bound to a kernel driver (usbhid, ftdi_sio)
};

struct FakeDeviceSpec {
    uint16_t vid = 0;
    uint16_t pid = 0;
    uint16_t bcd = 0x0100;
    std::string manufacturer;
    std::string product;
    std::string serial;
    uint8_t bus = 1;
    std::vector<uint8_t> ports{2};
    std::vector<FakeInterface> interfaces;
    std::shared_ptr<usb::DeviceModel> model;  // serves transfers when set
    bool kernel_drivers = false;              // interfaces taken from the model start bound to a kernel driver
};

// A spec for a CP2112 served by the chip model.
FakeDeviceSpec cp2112_spec(std::shared_ptr<usb::DeviceModel> model, std::vector<uint8_t> ports = {2});
// A device with one interface, interrupt IN 0x81 and OUT 0x01, that holds
// its transfers for the test to finish.
FakeDeviceSpec scripted_spec(uint16_t vid = 0x10C4, uint16_t pid = 0xEA90);

class FakeLibusb final : public usb::LibusbApi {
public:
    using Clock = std::chrono::steady_clock;
    struct Dev;

    FakeLibusb();
    ~FakeLibusb() override;

    // --- the world -------------------------------------------------------
    bool hotplug_capable = true;
    // Plugs a device in (a hotplug ARRIVED event for registered callbacks).
    Dev* plug(FakeDeviceSpec spec);
    // Pulls it out: transfers in flight finish with `in_flight_status`
    // (NO_DEVICE, or ERROR as most real unplugs first show), everything
    // later fails with NO_DEVICE, and a LEFT event goes out.
    void unplug(Dev* dev, int in_flight_status = LIBUSB_TRANSFER_NO_DEVICE);
    // authorized=0 in sysfs: the device stays listed at the same address and
    // no LEFT event goes out, but it loses its configuration: the transfers
    // in flight end with `in_flight_status` (usbfs kills them: CANCELLED),
    // interfaces are gone (submits on their endpoints fail with IO, claims
    // with NOT_FOUND) and GET_CONFIGURATION answers 0; requests to the device
    // on ep0 still work. authorize() configures it again; handles opened
    // before keep seeing it unconfigured.
    void deauthorize(Dev* dev, int in_flight_status = LIBUSB_TRANSFER_CANCELLED);
    void authorize(Dev* dev);
    void set_open_error(Dev* dev, int error);
    void set_claim_error(Dev* dev, int error);
    // The next `count` submits on the device (-1: all) fail with `error`.
    void set_submit_error(Dev* dev, int error, int count = -1);
    // How GET_STATUS and GET_CONFIGURATION (the unplug check) are answered:
    // COMPLETED (default), STALL, ERROR, NO_DEVICE, or -1 to hold them like
    // any scripted transfer.
    void set_status_reply(Dev* dev, int status);
    // While held, the model leaves the device's new transfers (other than
    // the status and string requests) in flight for the test to finish.
    void hold_model(Dev* dev, bool hold);
    // The event thread (the caller of handle_events_timeout_completed), on
    // its next call, waits before it handles events, holding no lock, until
    // resume_events() (at most 10 s, then a violation): an event thread slow
    // to come round to the tasks posted meanwhile; threads in synchronous
    // calls handle events themselves. wait_events_stalled() waits (bounded)
    // until it is waiting.
    void stall_event_thread();
    bool wait_events_stalled(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    void resume_events();
    bool kernel_driver_bound(Dev* dev, int interface);

    // --- scripted transfers ---------------------------------------------
    std::vector<libusb_transfer*> in_flight();
    // Waits (bounded) until a transfer in flight matches.
    libusb_transfer* wait_for(const std::function<bool(const libusb_transfer*)>& match,
                              std::chrono::milliseconds timeout = std::chrono::seconds(10));
    libusb_transfer* wait_for_endpoint(uint8_t endpoint);
    // Finishes a held transfer: IN data is copied into its buffer.
    void complete(libusb_transfer* xfer, int status, const std::vector<uint8_t>& data = {});
    // Counts of transfers submitted / cancel calls made.
    std::size_t submitted() const;
    // Every transfer libusb accepted, in order.
    struct Submission {
        uint8_t endpoint;
        uint8_t type;
        unsigned int timeout;
        int length;
    };
    std::vector<Submission> submissions() const;
    bool wait_submitted(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    std::size_t cancels() const;
    // Status requests (GET_STATUS, GET_CONFIGURATION) seen: the unplug checks.
    std::size_t status_requests() const;

    // --- synchronous control transfers (LibusbApi::sync_control) ----------
    // Off: sync_control() answers ENOSYS, as for a handle libusb opened.
    bool sync_control_capable = false;
    // How a synchronous control transfer is answered, outside the fake's
    // lock (it may block, or unplug the device): an errno, and the IN data
    // (truncated to wLength). Unset: the device's model answers (a STALL is
    // EPIPE), or, without one, every request succeeds with no data. String
    // descriptor requests are answered as when submitted.
    std::function<int(const usb::ControlSetup&, std::vector<uint8_t>& data)> sync_control_script;
    std::size_t sync_controls() const;  // calls that reached the device

    // --- what happened ----------------------------------------------------
    std::vector<std::string> log() const;  // "open", "detach 0", "claim 0", "release 0", "attach 0", "close"
    std::vector<std::string> violations() const;
    // Waits (bounded) until `entry` has been logged `count` times.
    bool wait_logged(const std::string& entry, int count = 1,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
    int device_refs() const;  // references libusb users still hold
    int open_handles() const;
    // The thread that last called handle_events_timeout_completed().
    std::thread::id event_thread() const;
    // Every transfer callback run: the transfer's endpoint (0: control) and
    // the thread that ran it.
    struct Callback {
        uint8_t endpoint;
        std::thread::id thread;
    };
    std::vector<Callback> callbacks() const;
    // Rounds of handle_events_locked() run by threads other than the event
    // thread: synchronous callers handling events themselves.
    std::size_t locked_rounds() const;
    // Waits (bounded) until a thread other than the event thread holds the
    // event lock while at least `waiters` threads wait in wait_for_event();
    // returns that holder (a default id when the wait timed out).
    std::thread::id wait_caller_holds_events(std::size_t waiters = 0,
                                             std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    // --- LibusbApi --------------------------------------------------------
    int init(libusb_context** ctx) override;
    void exit(libusb_context* ctx) override;
    bool has_hotplug() override;
    int hotplug_register_callback(libusb_context* ctx, int events, int flags, int vendor_id, int product_id,
                                  int dev_class, libusb_hotplug_callback_fn cb, void* user_data,
                                  libusb_hotplug_callback_handle* handle) override;
    void hotplug_deregister_callback(libusb_context* ctx, libusb_hotplug_callback_handle handle) override;
    ssize_t get_device_list(libusb_context* ctx, libusb_device*** list) override;
    void free_device_list(libusb_device** list, int unref_devices) override;
    libusb_device* ref_device(libusb_device* dev) override;
    void unref_device(libusb_device* dev) override;
    int get_device_descriptor(libusb_device* dev, libusb_device_descriptor* desc) override;
    uint8_t get_bus_number(libusb_device* dev) override;
    uint8_t get_device_address(libusb_device* dev) override;
    int get_port_numbers(libusb_device* dev, uint8_t* ports, int len) override;
    int get_active_config_descriptor(libusb_device* dev, libusb_config_descriptor** config) override;
    int get_config_descriptor(libusb_device* dev, uint8_t index, libusb_config_descriptor** config) override;
    void free_config_descriptor(libusb_config_descriptor* config) override;
    int open(libusb_device* dev, libusb_device_handle** handle) override;
    void close(libusb_device_handle* handle) override;
    int kernel_driver_active(libusb_device_handle* handle, int interface) override;
    int detach_kernel_driver(libusb_device_handle* handle, int interface) override;
    int attach_kernel_driver(libusb_device_handle* handle, int interface) override;
    int claim_interface(libusb_device_handle* handle, int interface) override;
    int release_interface(libusb_device_handle* handle, int interface) override;
    // Noted as "control <bRequest> <wValue hex>" in the handle log.
    int control_transfer(libusb_device_handle* handle, uint8_t request_type, uint8_t request, uint16_t value,
                         uint16_t index, unsigned char* data, uint16_t length, unsigned timeout_ms) override;
    int sync_control(libusb_device_handle* handle, uint8_t request_type, uint8_t request, uint16_t value,
                     uint16_t index, unsigned char* data, uint16_t length, unsigned timeout_ms,
                     int* transferred) override;
    libusb_transfer* alloc_transfer(int iso_packets) override;
    void free_transfer(libusb_transfer* transfer) override;
    int submit_transfer(libusb_transfer* transfer) override;
    int cancel_transfer(libusb_transfer* transfer) override;
    int handle_events_timeout_completed(libusb_context* ctx, timeval* tv, int* completed) override;
    void interrupt_event_handler(libusb_context* ctx) override;
    int try_lock_events(libusb_context* ctx) override;
    void unlock_events(libusb_context* ctx) override;
    int event_handling_ok(libusb_context* ctx) override;
    int event_handler_active(libusb_context* ctx) override;
    void lock_event_waiters(libusb_context* ctx) override;
    void unlock_event_waiters(libusb_context* ctx) override;
    int wait_for_event(libusb_context* ctx, timeval* tv) override;
    int handle_events_locked(libusb_context* ctx, timeval* tv) override;

    static libusb_device* as_libusb(Dev* d) { return reinterpret_cast<libusb_device*>(d); }

private:
    struct Handle;
    struct Flight;
    struct ConfigBlob;
    struct Hotplug {
        libusb_hotplug_callback_fn cb;
        void* user;
        int events;
        libusb_hotplug_callback_handle id;
    };
    struct HotplugMsg {
        Dev* dev;
        libusb_hotplug_event event;
    };

    static Dev* dev_of(libusb_device* d) { return reinterpret_cast<Dev*>(d); }
    static Handle* handle_of(libusb_device_handle* h) { return reinterpret_cast<Handle*>(h); }

    // with mu_ held
    void finish_locked(libusb_transfer* xfer, int status, int actual);
    void violation_locked(std::string what);
    void note_locked(std::string entry);
    bool auto_answer_locked(libusb_transfer* xfer);
    void serve_model(std::unique_lock<std::mutex>& lk);
    void serve_one(std::unique_lock<std::mutex>& lk, libusb_transfer* xfer);
    void expire_locked();
    void queue_hotplug_locked(Dev* dev, libusb_hotplug_event event);
    void release_claim_locked(Handle* h, int interface);
    static bool unplugged(const Handle* h);
    static bool unconfigured(const Handle* h);
    void end_flights_locked(Dev* dev, int status);  // transfers in flight on `dev` finish with `status`
    // One round of event handling by the event lock's holder.
    int handle_round(libusb_context* ctx, Clock::time_point deadline);
    bool holding_locked() const;  // this thread holds the event lock
    void wake_waiters();          // what a completion and an unlock do

    mutable std::mutex mu_;
    mutable std::condition_variable cv_;
    std::vector<std::unique_ptr<Dev>> devices_;
    std::set<Handle*> handles_;
    std::map<libusb_transfer*, Flight> flights_;  // submitted, callback not yet run
    std::set<libusb_transfer*> allocated_;
    struct Finished {
        libusb_transfer* xfer;
        int status;
        int actual;
    };
    std::deque<Finished> finished_;          // callbacks due
    std::deque<libusb_transfer*> to_serve_;  // model devices: not yet looked at
    uint64_t next_seq_ = 1;
    std::vector<Hotplug> hotplug_;
    std::deque<HotplugMsg> hotplug_msgs_;
    std::multiset<libusb_hotplug_callback_handle> hotplug_running_;  // callbacks in progress
    std::map<libusb_config_descriptor*, std::unique_ptr<ConfigBlob>> configs_;
    std::vector<std::string> log_;
    std::vector<std::string> violations_;
    std::size_t submitted_ = 0;
    std::vector<Submission> submissions_;
    std::size_t cancels_ = 0;
    std::size_t status_requests_ = 0;
    std::size_t sync_controls_ = 0;
    int next_hotplug_id_ = 1;
    uint8_t next_address_ = 2;
    bool interrupted_ = false;
    // The event lock: its holder, and closes waiting for it (they keep
    // new holders out, as libusb's do).
    bool events_locked_ = false;
    std::thread::id events_holder_;
    int closing_ = 0;
    std::vector<Callback> callbacks_;
    std::size_t locked_rounds_ = 0;
    std::size_t waiting_ = 0;  // threads in wait_for_event()
    // libusb's event waiters lock and condition.
    std::mutex waiters_mu_;
    std::condition_variable waiters_cv_;
    bool in_ready_ = false;
    bool stall_armed_ = false;
    bool stalled_ = false;
    int inits_ = 0;
    std::thread::id event_thread_;
};

}  // namespace usbio::test
