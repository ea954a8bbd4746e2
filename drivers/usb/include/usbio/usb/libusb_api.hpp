// SPDX-License-Identifier: Apache-2.0
// The libusb-1.0 calls usbio makes, behind one interface.
//
// The libusb transport and the host speak to libusb only through this, so
// tests can put a scripted fake in its place: the machines that run the test
// suite have no USB devices and often no usbfs at all. system_libusb() is the
// real thing; every method is the libusb function of the same name.
//
// Rules the callers keep (and a fake may check):
// - Transfer callbacks and hotplug callbacks run only inside
//   handle_events_timeout_completed() or handle_events_locked(), on the
//   thread that called it.
// - Events are handled by the usbio event thread and, while they wait for
//   their own transfers, by synchronous callers that took the event lock
//   (try_lock_events ... unlock_events, libusb's protocol for applications
//   that handle events on several threads). libusb's own synchronous
//   transfer functions are not used; a control transfer may instead be
//   run by sync_control() (usbfs's blocking request), which involves no
//   event handling at all.
// - close() is never called while a transfer of that handle is in flight;
//   an interface is released, and its kernel driver re-attached, before the
//   handle closes.
#pragma once

#include <libusb.h>
#include <sys/types.h>

#include <cerrno>
#include <cstdint>

#include <memory>

namespace usbio::usb {

class LibusbApi {
public:
    virtual ~LibusbApi() = default;

    virtual int init(libusb_context** ctx) = 0;
    virtual void exit(libusb_context* ctx) = 0;
    // libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)
    virtual bool has_hotplug() = 0;
    virtual int hotplug_register_callback(libusb_context* ctx, int events, int flags, int vendor_id, int product_id,
                                          int dev_class, libusb_hotplug_callback_fn cb, void* user_data,
                                          libusb_hotplug_callback_handle* handle) = 0;
    virtual void hotplug_deregister_callback(libusb_context* ctx, libusb_hotplug_callback_handle handle) = 0;

    virtual ssize_t get_device_list(libusb_context* ctx, libusb_device*** list) = 0;
    virtual void free_device_list(libusb_device** list, int unref_devices) = 0;
    virtual libusb_device* ref_device(libusb_device* dev) = 0;
    virtual void unref_device(libusb_device* dev) = 0;
    virtual int get_device_descriptor(libusb_device* dev, libusb_device_descriptor* desc) = 0;
    virtual uint8_t get_bus_number(libusb_device* dev) = 0;
    virtual uint8_t get_device_address(libusb_device* dev) = 0;
    virtual int get_port_numbers(libusb_device* dev, uint8_t* ports, int len) = 0;
    virtual int get_active_config_descriptor(libusb_device* dev, libusb_config_descriptor** config) = 0;
    virtual int get_config_descriptor(libusb_device* dev, uint8_t index, libusb_config_descriptor** config) = 0;
    virtual void free_config_descriptor(libusb_config_descriptor* config) = 0;

    virtual int open(libusb_device* dev, libusb_device_handle** handle) = 0;
    // Opens the device's usbfs node itself and hands libusb the file
    // (libusb_wrap_sys_device), so sync_control() can use it; falls back to
    // open() where that cannot be done. LIBUSB_ERROR codes as open().
    virtual int open_own(libusb_context* ctx, libusb_device* dev, libusb_device_handle** handle) {
        (void)ctx;
        return open(dev, handle);
    }
    virtual void close(libusb_device_handle* handle) = 0;
    virtual int kernel_driver_active(libusb_device_handle* handle, int interface) = 0;
    virtual int detach_kernel_driver(libusb_device_handle* handle, int interface) = 0;
    virtual int attach_kernel_driver(libusb_device_handle* handle, int interface) = 0;
    virtual int claim_interface(libusb_device_handle* handle, int interface) = 0;
    virtual int release_interface(libusb_device_handle* handle, int interface) = 0;
    // Synchronous control transfer (libusb_control_transfer): bytes moved or
    // a LIBUSB_ERROR code. Only for the request sent on release.
    virtual int control_transfer(libusb_device_handle* handle, uint8_t request_type, uint8_t request, uint16_t value,
                                 uint16_t index, unsigned char* data, uint16_t length, unsigned timeout_ms) = 0;

    // A control transfer run on the calling thread by usbfs's blocking
    // request (USBDEVFS_CONTROL: one system call, no event handling, no
    // thread switch). Returns 0 with `*transferred` set, or the errno usbfs
    // gave (ENODEV/ESHUTDOWN gone, ETIMEDOUT, EPIPE stall, EPROTO ... an
    // I/O error). ENOSYS: not available on this handle (not opened by
    // open_own()); nothing was sent. timeout_ms must not be 0 (usbfs would
    // wait for ever), and nothing can cancel it: it ends on its own, on
    // its timeout, or when the device goes.
    virtual int sync_control(libusb_device_handle* handle, uint8_t request_type, uint8_t request, uint16_t value,
                             uint16_t index, unsigned char* data, uint16_t length, unsigned timeout_ms,
                             int* transferred) {
        (void)handle, (void)request_type, (void)request, (void)value, (void)index, (void)data, (void)length;
        (void)timeout_ms, (void)transferred;
        return ENOSYS;
    }

    virtual libusb_transfer* alloc_transfer(int iso_packets) = 0;
    virtual void free_transfer(libusb_transfer* transfer) = 0;
    virtual int submit_transfer(libusb_transfer* transfer) = 0;
    virtual int cancel_transfer(libusb_transfer* transfer) = 0;

    virtual int handle_events_timeout_completed(libusb_context* ctx, timeval* tv, int* completed) = 0;
    virtual void interrupt_event_handler(libusb_context* ctx) = 0;

    // The event lock (libusb "Multi-threaded applications and asynchronous
    // I/O"): one thread at a time handles events; the others wait for it.
    virtual int try_lock_events(libusb_context* ctx) = 0;  // 0: this thread has the lock
    virtual void unlock_events(libusb_context* ctx) = 0;
    virtual int event_handling_ok(libusb_context* ctx) = 0;     // 0: give the lock up (a close waits)
    virtual int event_handler_active(libusb_context* ctx) = 0;  // someone holds the lock
    virtual void lock_event_waiters(libusb_context* ctx) = 0;
    virtual void unlock_event_waiters(libusb_context* ctx) = 0;
    // Waiters lock held; returns on a completion, an unlock_events(), or tv.
    virtual int wait_for_event(libusb_context* ctx, timeval* tv) = 0;
    // Event lock held.
    virtual int handle_events_locked(libusb_context* ctx, timeval* tv) = 0;
};

// The real libusb-1.0.
std::shared_ptr<LibusbApi> system_libusb();

}  // namespace usbio::usb
