// SPDX-License-Identifier: Apache-2.0
// The fake's world (devices plugged and unplugged, descriptors, the device
// list, hotplug registrations) and its records. Handles are in
// fake_handles.cpp, transfers and event handling in fake_events.cpp.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "fake_internal.hpp"

namespace usbio::test {

FakeDeviceSpec cp2112_spec(std::shared_ptr<usb::DeviceModel> model, std::vector<uint8_t> ports) {
    FakeDeviceSpec s;
    s.model = std::move(model);
    s.ports = std::move(ports);
    return s;
}

FakeDeviceSpec scripted_spec(uint16_t vid, uint16_t pid) {
    FakeDeviceSpec s;
    s.vid = vid;
    s.pid = pid;
    s.manufacturer = "Test Maker";
    s.product = "Scripted Bridge";
    s.serial = "SCRIPT01";
    FakeInterface itf;
    itf.number = 0;
    itf.klass = 0x03;
    itf.endpoints = {{0x81, LIBUSB_TRANSFER_TYPE_INTERRUPT, 64}, {0x01, LIBUSB_TRANSFER_TYPE_INTERRUPT, 64}};
    s.interfaces.push_back(itf);
    return s;
}

namespace {

uint8_t attributes_of(usb::TransferType t) {
    switch (t) {
    case usb::TransferType::interrupt: return LIBUSB_TRANSFER_TYPE_INTERRUPT;
    case usb::TransferType::control: return LIBUSB_TRANSFER_TYPE_CONTROL;
    case usb::TransferType::bulk: break;
    }
    return LIBUSB_TRANSFER_TYPE_BULK;
}

}  // namespace

FakeLibusb::FakeLibusb() = default;

FakeLibusb::~FakeLibusb() {
    for (auto& d : devices_)
        if (d->spec.model) d->spec.model->set_in_ready_notifier([] {});
    for (auto* x : allocated_) std::free(x);
    for (auto* h : handles_) delete h;
}

// --- the world ---------------------------------------------------------------

FakeLibusb::Dev* FakeLibusb::plug(FakeDeviceSpec spec) {
    if (spec.model) {
        const usb::DeviceIdentity id = spec.model->identity();
        if (!spec.vid) spec.vid = id.vid;
        if (!spec.pid) spec.pid = id.pid;
        spec.bcd = id.bcd_device;
        if (spec.manufacturer.empty()) spec.manufacturer = id.manufacturer;
        if (spec.product.empty()) spec.product = id.product;
        if (spec.serial.empty()) spec.serial = id.serial;
        if (spec.interfaces.empty()) {
            for (const auto& i : id.interfaces) {
                FakeInterface fi;
                fi.number = i.number;
                fi.klass = i.klass;
                fi.kernel_driver = spec.kernel_drivers;
                for (const auto& e : i.endpoints)
                    fi.endpoints.push_back({e.address, attributes_of(e.type), e.max_packet});
                spec.interfaces.push_back(fi);
            }
        }
        spec.model->set_in_ready_notifier([this] {
            std::lock_guard lk(mu_);
            in_ready_ = true;
            cv_.notify_all();
        });
    }
    auto dev = std::make_unique<Dev>();
    dev->spec = std::move(spec);
    for (const auto& i : dev->spec.interfaces) dev->kernel_driver[i.number] = i.kernel_driver;
    Dev* raw = dev.get();
    std::lock_guard lk(mu_);
    raw->address = next_address_++;
    devices_.push_back(std::move(dev));
    queue_hotplug_locked(raw, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED);
    return raw;
}

void FakeLibusb::unplug(Dev* dev, int in_flight_status) {
    std::lock_guard lk(mu_);
    if (!dev->present && !dev->deauthorized) return;
    dev->present = false;
    dev->deauthorized = false;
    end_flights_locked(dev, in_flight_status);
    queue_hotplug_locked(dev, LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT);
}

void FakeLibusb::end_flights_locked(Dev* dev, int status) {
    std::vector<libusb_transfer*> gone;
    for (auto& [x, f] : flights_)
        if (f.dev == dev) gone.push_back(x);
    for (auto* x : gone) finish_locked(x, status, 0);
}

void FakeLibusb::deauthorize(Dev* dev, int in_flight_status) {
    std::lock_guard lk(mu_);
    if (!dev->present) return;
    dev->present = false;
    dev->deauthorized = true;
    end_flights_locked(dev, in_flight_status);
    // The kernel unbinds every interface driver; claims end with them.
    dev->claimed_by.clear();
    for (auto& [itf, bound] : dev->kernel_driver) bound = false;
}

void FakeLibusb::authorize(Dev* dev) {
    std::lock_guard lk(mu_);
    if (!dev->deauthorized) return;
    dev->deauthorized = false;
    dev->present = true;
    ++dev->generation;
    for (const auto& i : dev->spec.interfaces) dev->kernel_driver[i.number] = i.kernel_driver;
}

void FakeLibusb::queue_hotplug_locked(Dev* dev, libusb_hotplug_event event) {
    for (const auto& h : hotplug_) {
        if (h.events & event) {
            hotplug_msgs_.push_back({dev, event});
            break;
        }
    }
    cv_.notify_all();
}

void FakeLibusb::set_open_error(Dev* dev, int error) {
    std::lock_guard lk(mu_);
    dev->open_error = error;
}

void FakeLibusb::set_claim_error(Dev* dev, int error) {
    std::lock_guard lk(mu_);
    dev->claim_error = error;
}

void FakeLibusb::set_submit_error(Dev* dev, int error, int count) {
    std::lock_guard lk(mu_);
    dev->submit_error = error;
    dev->submit_error_count = count;
}

void FakeLibusb::set_status_reply(Dev* dev, int status) {
    std::lock_guard lk(mu_);
    dev->status_reply = status;
}

void FakeLibusb::hold_model(Dev* dev, bool hold) {
    std::lock_guard lk(mu_);
    dev->model_held = hold;
}

bool FakeLibusb::kernel_driver_bound(Dev* dev, int interface) {
    std::lock_guard lk(mu_);
    return dev->kernel_driver[interface];
}

// --- what happened -----------------------------------------------------------

void FakeLibusb::violation_locked(std::string what) { violations_.push_back(std::move(what)); }

void FakeLibusb::note_locked(std::string entry) {
    log_.push_back(std::move(entry));
    cv_.notify_all();
}

std::vector<std::string> FakeLibusb::log() const {
    std::lock_guard lk(mu_);
    return log_;
}

bool FakeLibusb::wait_logged(const std::string& entry, int count, std::chrono::milliseconds timeout) const {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return std::count(log_.begin(), log_.end(), entry) >= count; });
}

std::vector<std::string> FakeLibusb::violations() const {
    std::lock_guard lk(mu_);
    return violations_;
}

int FakeLibusb::device_refs() const {
    std::lock_guard lk(mu_);
    int n = 0;
    for (const auto& d : devices_) n += d->refs;
    return n;
}

int FakeLibusb::open_handles() const {
    std::lock_guard lk(mu_);
    return static_cast<int>(handles_.size());
}

std::thread::id FakeLibusb::event_thread() const {
    std::lock_guard lk(mu_);
    return event_thread_;
}

std::size_t FakeLibusb::submitted() const {
    std::lock_guard lk(mu_);
    return submitted_;
}

std::vector<FakeLibusb::Submission> FakeLibusb::submissions() const {
    std::lock_guard lk(mu_);
    return submissions_;
}

bool FakeLibusb::wait_submitted(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return submitted_ >= n; });
}

std::size_t FakeLibusb::cancels() const {
    std::lock_guard lk(mu_);
    return cancels_;
}

std::size_t FakeLibusb::sync_controls() const {
    std::lock_guard lk(mu_);
    return sync_controls_;
}

std::size_t FakeLibusb::status_requests() const {
    std::lock_guard lk(mu_);
    return status_requests_;
}

// --- context, hotplug, device list -------------------------------------------

int FakeLibusb::init(libusb_context** ctx) {
    std::lock_guard lk(mu_);
    ++inits_;
    *ctx = reinterpret_cast<libusb_context*>(this);
    return 0;
}

void FakeLibusb::exit(libusb_context*) {
    std::lock_guard lk(mu_);
    --inits_;
    if (!handles_.empty()) violation_locked("exit with " + std::to_string(handles_.size()) + " handle(s) open");
    int refs = 0;
    for (const auto& d : devices_) refs += d->refs;
    if (refs) violation_locked("exit with " + std::to_string(refs) + " device reference(s) held");
    note_locked("exit");
}

bool FakeLibusb::has_hotplug() { return hotplug_capable; }

int FakeLibusb::hotplug_register_callback(libusb_context*, int events, int, int, int, int,
                                          libusb_hotplug_callback_fn cb, void* user_data,
                                          libusb_hotplug_callback_handle* handle) {
    if (!hotplug_capable) return LIBUSB_ERROR_NOT_SUPPORTED;
    std::lock_guard lk(mu_);
    const int id = next_hotplug_id_++;
    hotplug_.push_back(Hotplug{cb, user_data, events, id});
    if (handle) *handle = id;
    return 0;
}

void FakeLibusb::hotplug_deregister_callback(libusb_context*, libusb_hotplug_callback_handle handle) {
    std::lock_guard lk(mu_);
    // libusb's deregister does not wait for the callback: one still running
    // elsewhere may use its user data after this returns.
    if (hotplug_running_.count(handle) && !holding_locked())
        violation_locked("hotplug callback deregistered while it runs on another thread");
    hotplug_.erase(std::remove_if(hotplug_.begin(), hotplug_.end(), [&](const Hotplug& h) { return h.id == handle; }),
                   hotplug_.end());
}

ssize_t FakeLibusb::get_device_list(libusb_context*, libusb_device*** list) {
    std::lock_guard lk(mu_);
    std::vector<Dev*> present;
    for (auto& d : devices_)
        if (d->present || d->deauthorized) present.push_back(d.get());
    auto* out = new libusb_device*[present.size() + 1];
    for (std::size_t i = 0; i < present.size(); ++i) {
        ++present[i]->refs;
        out[i] = as_libusb(present[i]);
    }
    out[present.size()] = nullptr;
    *list = out;
    return static_cast<ssize_t>(present.size());
}

void FakeLibusb::free_device_list(libusb_device** list, int unref_devices) {
    if (!list) return;
    if (unref_devices)
        for (auto** p = list; *p; ++p) unref_device(*p);
    delete[] list;
}

libusb_device* FakeLibusb::ref_device(libusb_device* dev) {
    std::lock_guard lk(mu_);
    ++dev_of(dev)->refs;
    return dev;
}

void FakeLibusb::unref_device(libusb_device* dev) {
    std::lock_guard lk(mu_);
    if (--dev_of(dev)->refs < 0) violation_locked("device unreferenced more often than referenced");
}

int FakeLibusb::get_device_descriptor(libusb_device* dev, libusb_device_descriptor* desc) {
    const FakeDeviceSpec& s = dev_of(dev)->spec;
    std::memset(desc, 0, sizeof *desc);
    desc->bLength = LIBUSB_DT_DEVICE_SIZE;
    desc->bDescriptorType = LIBUSB_DT_DEVICE;
    desc->bcdUSB = 0x0200;
    desc->bMaxPacketSize0 = 64;
    desc->idVendor = s.vid;
    desc->idProduct = s.pid;
    desc->bcdDevice = s.bcd;
    desc->iManufacturer = s.manufacturer.empty() ? 0 : 1;
    desc->iProduct = s.product.empty() ? 0 : 2;
    desc->iSerialNumber = s.serial.empty() ? 0 : 3;
    desc->bNumConfigurations = 1;
    return 0;
}

uint8_t FakeLibusb::get_bus_number(libusb_device* dev) { return dev_of(dev)->spec.bus; }

uint8_t FakeLibusb::get_device_address(libusb_device* dev) {
    std::lock_guard lk(mu_);
    return dev_of(dev)->address;
}

int FakeLibusb::get_port_numbers(libusb_device* dev, uint8_t* ports, int len) {
    const auto& p = dev_of(dev)->spec.ports;
    if (static_cast<int>(p.size()) > len) return LIBUSB_ERROR_OVERFLOW;
    std::copy(p.begin(), p.end(), ports);
    return static_cast<int>(p.size());
}

int FakeLibusb::get_active_config_descriptor(libusb_device* dev, libusb_config_descriptor** config) {
    const FakeDeviceSpec& s = dev_of(dev)->spec;
    auto blob = std::make_unique<ConfigBlob>();
    const std::size_t n = s.interfaces.size();
    blob->endpoints.resize(n);
    blob->alts.resize(n);
    blob->interfaces.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const FakeInterface& fi = s.interfaces[i];
        for (const auto& e : fi.endpoints) {
            libusb_endpoint_descriptor ed{};
            ed.bLength = LIBUSB_DT_ENDPOINT_SIZE;
            ed.bDescriptorType = LIBUSB_DT_ENDPOINT;
            ed.bEndpointAddress = e.address;
            ed.bmAttributes = e.attributes;
            ed.wMaxPacketSize = e.max_packet;
            ed.bInterval = 1;
            blob->endpoints[i].push_back(ed);
        }
        libusb_interface_descriptor& alt = blob->alts[i];
        alt.bLength = LIBUSB_DT_INTERFACE_SIZE;
        alt.bDescriptorType = LIBUSB_DT_INTERFACE;
        alt.bInterfaceNumber = fi.number;
        alt.bNumEndpoints = static_cast<uint8_t>(fi.endpoints.size());
        alt.bInterfaceClass = fi.klass;
        alt.endpoint = blob->endpoints[i].data();
        blob->interfaces[i].altsetting = &alt;
        blob->interfaces[i].num_altsetting = 1;
    }
    blob->config.bLength = LIBUSB_DT_CONFIG_SIZE;
    blob->config.bDescriptorType = LIBUSB_DT_CONFIG;
    blob->config.bNumInterfaces = static_cast<uint8_t>(n);
    blob->config.bConfigurationValue = 1;
    blob->config.interface = blob->interfaces.data();
    *config = &blob->config;
    std::lock_guard lk(mu_);
    configs_.emplace(*config, std::move(blob));
    return 0;
}

int FakeLibusb::get_config_descriptor(libusb_device* dev, uint8_t index, libusb_config_descriptor** config) {
    if (index != 0) return LIBUSB_ERROR_NOT_FOUND;
    return get_active_config_descriptor(dev, config);
}

void FakeLibusb::free_config_descriptor(libusb_config_descriptor* config) {
    std::lock_guard lk(mu_);
    if (!configs_.erase(config)) violation_locked("free of an unknown config descriptor");
}

}  // namespace usbio::test
