// SPDX-License-Identifier: Apache-2.0
#include "usbio/usb/libusb_api.hpp"

#include <fcntl.h>
#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <unordered_map>

namespace usbio::usb {

namespace {

class SystemLibusb final : public LibusbApi {
public:
    int init(libusb_context** ctx) override { return libusb_init(ctx); }
    void exit(libusb_context* ctx) override { libusb_exit(ctx); }
    bool has_hotplug() override { return libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0; }
    int hotplug_register_callback(libusb_context* ctx, int events, int flags, int vendor_id, int product_id,
                                  int dev_class, libusb_hotplug_callback_fn cb, void* user_data,
                                  libusb_hotplug_callback_handle* handle) override {
        return libusb_hotplug_register_callback(ctx, events, flags, vendor_id, product_id, dev_class, cb, user_data,
                                                handle);
    }
    void hotplug_deregister_callback(libusb_context* ctx, libusb_hotplug_callback_handle handle) override {
        libusb_hotplug_deregister_callback(ctx, handle);
    }

    ssize_t get_device_list(libusb_context* ctx, libusb_device*** list) override {
        return libusb_get_device_list(ctx, list);
    }
    void free_device_list(libusb_device** list, int unref_devices) override {
        libusb_free_device_list(list, unref_devices);
    }
    libusb_device* ref_device(libusb_device* dev) override { return libusb_ref_device(dev); }
    void unref_device(libusb_device* dev) override { libusb_unref_device(dev); }
    int get_device_descriptor(libusb_device* dev, libusb_device_descriptor* desc) override {
        return libusb_get_device_descriptor(dev, desc);
    }
    uint8_t get_bus_number(libusb_device* dev) override { return libusb_get_bus_number(dev); }
    uint8_t get_device_address(libusb_device* dev) override { return libusb_get_device_address(dev); }
    int get_port_numbers(libusb_device* dev, uint8_t* ports, int len) override {
        return libusb_get_port_numbers(dev, ports, len);
    }
    int get_active_config_descriptor(libusb_device* dev, libusb_config_descriptor** config) override {
        return libusb_get_active_config_descriptor(dev, config);
    }
    int get_config_descriptor(libusb_device* dev, uint8_t index, libusb_config_descriptor** config) override {
        return libusb_get_config_descriptor(dev, index, config);
    }
    void free_config_descriptor(libusb_config_descriptor* config) override { libusb_free_config_descriptor(config); }

    int open(libusb_device* dev, libusb_device_handle** handle) override { return libusb_open(dev, handle); }

    int open_own(libusb_context* ctx, libusb_device* dev, libusb_device_handle** handle) override {
        char node[32];
        std::snprintf(node, sizeof node, "/dev/bus/usb/%03u/%03u", unsigned(libusb_get_bus_number(dev)),
                      unsigned(libusb_get_device_address(dev)));
        const int fd = ::open(node, O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            if (errno == EACCES || errno == EPERM) return LIBUSB_ERROR_ACCESS;
            return libusb_open(dev, handle);  // usbfs elsewhere: libusb knows where
        }
        if (const int r = libusb_wrap_sys_device(ctx, fd, handle); r != 0) {
            ::close(fd);
            return r;
        }
        std::lock_guard lk(mu_);
        fds_[*handle] = fd;
        return 0;
    }

    void close(libusb_device_handle* handle) override {
        int fd = -1;
        {
            std::lock_guard lk(mu_);
            if (auto it = fds_.find(handle); it != fds_.end()) {
                fd = it->second;
                fds_.erase(it);
            }
        }
        libusb_close(handle);  // leaves a wrapped file open: it is ours
        if (fd >= 0) ::close(fd);
    }

    int sync_control(libusb_device_handle* handle, uint8_t request_type, uint8_t request, uint16_t value,
                     uint16_t index, unsigned char* data, uint16_t length, unsigned timeout_ms,
                     int* transferred) override {
        int fd = -1;
        {
            std::lock_guard lk(mu_);
            if (auto it = fds_.find(handle); it != fds_.end()) fd = it->second;
        }
        if (fd < 0 || timeout_ms == 0) return ENOSYS;
        usbdevfs_ctrltransfer c{};
        c.bRequestType = request_type;
        c.bRequest = request;
        c.wValue = value;
        c.wIndex = index;
        c.wLength = length;
        c.timeout = timeout_ms;
        c.data = data;
        const int r = ::ioctl(fd, USBDEVFS_CONTROL, &c);
        if (r < 0) return errno;
        *transferred = r;
        return 0;
    }
    int kernel_driver_active(libusb_device_handle* handle, int interface) override {
        return libusb_kernel_driver_active(handle, interface);
    }
    int detach_kernel_driver(libusb_device_handle* handle, int interface) override {
        return libusb_detach_kernel_driver(handle, interface);
    }
    int attach_kernel_driver(libusb_device_handle* handle, int interface) override {
        return libusb_attach_kernel_driver(handle, interface);
    }
    int claim_interface(libusb_device_handle* handle, int interface) override {
        return libusb_claim_interface(handle, interface);
    }
    int control_transfer(libusb_device_handle* handle, uint8_t request_type, uint8_t request, uint16_t value,
                         uint16_t index, unsigned char* data, uint16_t length, unsigned timeout_ms) override {
        return libusb_control_transfer(handle, request_type, request, value, index, data, length, timeout_ms);
    }
    int release_interface(libusb_device_handle* handle, int interface) override {
        return libusb_release_interface(handle, interface);
    }

    libusb_transfer* alloc_transfer(int iso_packets) override { return libusb_alloc_transfer(iso_packets); }
    void free_transfer(libusb_transfer* transfer) override { libusb_free_transfer(transfer); }
    int submit_transfer(libusb_transfer* transfer) override { return libusb_submit_transfer(transfer); }
    int cancel_transfer(libusb_transfer* transfer) override { return libusb_cancel_transfer(transfer); }

    int handle_events_timeout_completed(libusb_context* ctx, timeval* tv, int* completed) override {
        return libusb_handle_events_timeout_completed(ctx, tv, completed);
    }
    void interrupt_event_handler(libusb_context* ctx) override { libusb_interrupt_event_handler(ctx); }

    int try_lock_events(libusb_context* ctx) override { return libusb_try_lock_events(ctx); }
    void unlock_events(libusb_context* ctx) override { libusb_unlock_events(ctx); }
    int event_handling_ok(libusb_context* ctx) override { return libusb_event_handling_ok(ctx); }
    int event_handler_active(libusb_context* ctx) override { return libusb_event_handler_active(ctx); }
    void lock_event_waiters(libusb_context* ctx) override { libusb_lock_event_waiters(ctx); }
    void unlock_event_waiters(libusb_context* ctx) override { libusb_unlock_event_waiters(ctx); }
    int wait_for_event(libusb_context* ctx, timeval* tv) override { return libusb_wait_for_event(ctx, tv); }
    int handle_events_locked(libusb_context* ctx, timeval* tv) override { return libusb_handle_events_locked(ctx, tv); }

private:
    std::mutex mu_;
    std::unordered_map<libusb_device_handle*, int> fds_;  // handles opened by open_own()
};

}  // namespace

std::shared_ptr<LibusbApi> system_libusb() {
    static const std::shared_ptr<LibusbApi> api = std::make_shared<SystemLibusb>();
    return api;
}

}  // namespace usbio::usb
