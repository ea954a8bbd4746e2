// SPDX-License-Identifier: Apache-2.0
#include "models/cp2112_model.hpp"

#include <algorithm>

#include "models/cp2112_descriptors.hpp"

namespace usbio::models {

using namespace cp2112;

namespace {

// The chip has little buffer; a host that never reads loses the oldest.
constexpr std::size_t kMaxQueuedReports = 64;
constexpr std::size_t kRequestLogSize = 4096;

uint16_t be16(std::span<const uint8_t> d, std::size_t at) { return uint16_t(d[at] << 8 | d[at + 1]); }

bool valid_read_length(uint16_t n) { return n >= 1 && n <= kMaxRead; }

PromFields factory_prom(const Cp2112Options& o) {
    PromFields f;
    f.serial = o.serial;
    return f;
}

}  // namespace

Cp2112Model::Cp2112Model(Cp2112Options options)
    : options_(std::move(options)), bus_(std::make_shared<I2cBus>()), engine_(bus_), prom_(factory_prom(options_)) {
    engine_.set_repeated_start(options_.device_version >= 2);
    engine_.set_auto_send_address_echo(options_.device_version < 3);
    if (options_.with_eeprom) {
        Eeprom24cxxConfig config = options_.eeprom_part;
        config.write_cycle = options_.eeprom_write_cycle;
        eeprom_ = std::make_shared<Eeprom24cxx>(config);
        eeprom_->attach_to(*bus_, kEepromAddress);
    }
    if (options_.with_sensor) {
        sensor_ = std::make_shared<Lm75>();
        bus_->attach(kSensorAddress, sensor_);
    }
    if (options_.with_expanders) {
        expander_ = std::make_shared<Pca953x>();
        bus_->attach(kExpanderAddress, expander_);
        pcf_ = std::make_shared<Pcf857x>(8);
        bus_->attach(kPcfAddress, pcf_);
    }
    worker_ = std::thread([this] { worker(); });
}

Cp2112Model::~Cp2112Model() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    worker_.join();
}

usb::DeviceIdentity Cp2112Model::identity() const {
    usb::DeviceIdentity id;
    id.vid = kVid;
    id.pid = kPid;
    id.bcd_device = 0x0000;
    id.manufacturer = "Silicon Laboratories";
    id.product = "CP2112 HID USB-to-SMBus Bridge";
    id.serial = options_.serial;
    id.simulated = true;
    id.interfaces.push_back(
        usb::InterfaceInfo{0,
                           0x03,
                           {usb::EndpointInfo{kEpIn, usb::TransferType::interrupt, uint16_t(kPacketSize)},
                            usb::EndpointInfo{kEpOut, usb::TransferType::interrupt, uint16_t(kPacketSize)}}});
    return id;
}

std::vector<uint8_t> Cp2112Model::device_descriptor() const { return cp2112::device_descriptor(identity().bcd_device); }

std::vector<uint8_t> Cp2112Model::config_descriptor() const { return cp2112::config_descriptor(); }

bool Cp2112Model::out_packet(uint8_t endpoint, std::span<const uint8_t> data) {
    if (endpoint != kEpOut) return false;
    std::lock_guard lock(mu_);
    output_report_locked(data);
    return true;
}

std::optional<std::vector<uint8_t>> Cp2112Model::in_packet(uint8_t endpoint) {
    if (endpoint != kEpIn) return std::nullopt;
    std::lock_guard lock(mu_);
    engine_.advance(Clock::now());
    collect_auto_locked();
    if (in_queue_.empty()) return std::nullopt;
    std::vector<uint8_t> report = std::move(in_queue_.front());
    in_queue_.pop_front();
    apply_malform_locked(report);
    return report;
}

void Cp2112Model::set_in_ready_notifier(std::function<void()> notify) {
    std::lock_guard lock(notify_mu_);
    notifier_ = std::move(notify);
}

void Cp2112Model::reset() {
    std::lock_guard lock(mu_);
    reset_locked();
}

void Cp2112Model::reset_locked() {
    engine_.reset();
    in_queue_.clear();
    held_.clear();
    smbus_ = SmbusConfig{};
    gpio_.reset();
    configuration_ = 0;
}

void Cp2112Model::output_report_locked(std::span<const uint8_t> d) {
    if (d.empty()) {
        log_request_locked(d, false);
        return;
    }
    const auto now = Clock::now();
    release_held_locked(now, d[0]);
    bool ok = false;
    switch (d[0]) {
    case kReadRequest:
        ok = d.size() >= kReadRequestLen && valid_read_length(be16(d, 2));
        if (ok)
            engine_.read(uint8_t(d[1] >> 1), be16(d, 2), smbus_, now);
        else
            engine_.reject(now);
        break;
    case kWriteReadRequest: {
        const std::size_t n = d.size() >= 5 ? d[4] : 0;
        ok = n >= 1 && n <= kMaxTargetAddress && d.size() >= 5 + n && valid_read_length(be16(d, 2));
        if (ok)
            engine_.write_read(uint8_t(d[1] >> 1), d.subspan(5, n), be16(d, 2), smbus_, now);
        else
            engine_.reject(now);
        break;
    }
    case kWriteRequest: {
        const std::size_t n = d.size() >= 3 ? d[2] : 0;
        ok = n >= 1 && n <= kMaxWrite && d.size() >= 3 + n;
        if (ok)
            engine_.write(uint8_t(d[1] >> 1), d.subspan(3, n), smbus_, now);
        else
            engine_.reject(now);
        break;
    }
    case kForceSend:
        ok = d.size() >= kForceSendLen && valid_read_length(be16(d, 1));
        // Ignored with Auto Send Read on: the data comes by itself then.
        if (ok && !smbus_.auto_send_read) {
            if (auto chunk = engine_.force_send(be16(d, 1), now)) queue_read_response_locked(*chunk);
        }
        break;
    case kStatusRequest:
        ok = d.size() >= kStatusRequestLen && d[1] == 0x01;
        if (ok) {
            const TransferStatus s = engine_.status_request(now);
            queue_locked({kStatusResponse, s.status0, s.status1, uint8_t(s.retries >> 8), uint8_t(s.retries),
                          uint8_t(s.received >> 8), uint8_t(s.received)});
        }
        break;
    case kCancel:
        ok = d.size() >= kCancelLen && d[1] == 0x01;
        if (ok) {
            engine_.cancel();
        }
        break;
    default: break;  // not an output report of this chip
    }
    log_request_locked(d, ok);
    collect_auto_locked();
    cv_.notify_all();  // the worker re-plans its wake-up
}

void Cp2112Model::log_request_locked(std::span<const uint8_t> d, bool accepted) {
    if (request_log_.size() >= kRequestLogSize) request_log_.pop_front();
    request_log_.emplace_back(d.begin(), d.end());
    if (!accepted) ++rejected_;
}

void Cp2112Model::queue_locked(std::vector<uint8_t> report) {
    if (silent_) return;
    report.resize(kPacketSize, 0x00);
    for (auto it = delays_.begin(); it != delays_.end(); ++it) {
        if (it->report_id != report[0]) continue;
        held_.push_back({std::move(report), Clock::now() + it->delay, it->released_by});
        delays_.erase(it);
        cv_.notify_all();  // the worker watches the release time
        return;
    }
    send_locked(std::move(report));
}

void Cp2112Model::send_locked(std::vector<uint8_t> report) {
    if (in_queue_.size() >= kMaxQueuedReports) in_queue_.pop_front();
    in_queue_.push_back(std::move(report));
    notify_pending_ = true;
    cv_.notify_all();
}

void Cp2112Model::release_held_locked(Clock::time_point now, std::optional<uint8_t> request) {
    for (auto it = held_.begin(); it != held_.end();) {
        if (it->release_at <= now || (request && it->released_by == request)) {
            send_locked(std::move(it->data));
            it = held_.erase(it);
        } else {
            ++it;
        }
    }
}

void Cp2112Model::queue_read_response_locked(const ReadChunk& chunk) {
    std::vector<uint8_t> r = {kReadResponse, chunk.status0, uint8_t(chunk.data.size())};
    r.insert(r.end(), chunk.data.begin(), chunk.data.end());
    queue_locked(std::move(r));
}

void Cp2112Model::collect_auto_locked() {
    for (const auto& chunk : engine_.take_auto_chunks()) queue_read_response_locked(chunk);
}

void Cp2112Model::apply_malform_locked(std::vector<uint8_t>& r) {
    if (malform_.empty()) return;
    const Cp2112Malform kind = malform_.front().first;
    if (--malform_.front().second == 0) malform_.pop_front();
    switch (kind) {
    case Cp2112Malform::short_report: r.resize(3); break;
    case Cp2112Malform::bad_length:
        if (r[0] == kReadResponse) {
            r[2] = uint8_t(kMaxReadChunk + 1);
        } else if (r[0] == kStatusResponse) {
            r[5] = 0xFF;
            r[6] = 0xFF;
        }
        break;
    case Cp2112Malform::bad_status: r[1] = 0x07; break;
    case Cp2112Malform::wrong_report_id: r[0] = 0x3F; break;
    }
}

void Cp2112Model::worker() {
    std::unique_lock lock(mu_);
    while (!stopping_) {
        if (notify_pending_) {
            notify_pending_ = false;
            lock.unlock();
            {
                std::lock_guard notify_lock(notify_mu_);
                if (notifier_) notifier_();
            }
            lock.lock();
            continue;
        }
        // An auto-send read delivers its data without being asked, and a
        // held report leaves by itself, so somebody must watch the clock.
        auto next = engine_.next_auto_event();
        for (const Held& h : held_) next = next ? std::min(*next, h.release_at) : h.release_at;
        if (next) {
            const auto now = Clock::now();
            const auto wake = *next > now ? *next : now + std::chrono::milliseconds(1);
            cv_.wait_until(lock, wake);
        } else {
            cv_.wait(lock);
        }
        if (stopping_) break;
        engine_.advance(Clock::now());
        collect_auto_locked();
        release_held_locked(Clock::now(), std::nullopt);
    }
}

void Cp2112Model::set_nack(uint8_t addr7, bool nack) { bus_->set_nack(addr7, nack); }

void Cp2112Model::set_bus_stuck(bool stuck) { bus_->set_stuck(stuck); }

void Cp2112Model::malform_next_reports(Cp2112Malform kind, unsigned count) {
    if (count == 0) return;
    std::lock_guard lock(mu_);
    malform_.emplace_back(kind, count);
}

void Cp2112Model::set_slow(std::chrono::microseconds extra_busy_time) {
    std::lock_guard lock(mu_);
    engine_.set_slow(extra_busy_time);
}

void Cp2112Model::delay_next_report(uint8_t report_id, std::chrono::milliseconds delay,
                                    std::optional<uint8_t> released_by) {
    std::lock_guard lock(mu_);
    delays_.push_back({report_id, delay, released_by});
}

void Cp2112Model::set_silent(bool silent) {
    std::lock_guard lock(mu_);
    silent_ = silent;
}

void Cp2112Model::send_unsolicited(std::vector<uint8_t> report, unsigned count) {
    if (report.empty()) return;
    std::lock_guard lock(mu_);
    for (unsigned i = 0; i < count; ++i) queue_locked(report);
}

void Cp2112Model::set_max_read_chunk(std::size_t n) {
    std::lock_guard lock(mu_);
    engine_.set_max_chunk(std::clamp<std::size_t>(n, 1, kMaxReadChunk));
}

std::vector<std::vector<uint8_t>> Cp2112Model::output_reports() const {
    std::lock_guard lock(mu_);
    return {request_log_.begin(), request_log_.end()};
}

unsigned Cp2112Model::rejected_requests() const {
    std::lock_guard lock(mu_);
    return rejected_;
}

std::size_t Cp2112Model::pending_input_reports() const {
    std::lock_guard lock(mu_);
    return in_queue_.size();
}

void Cp2112Model::set_input_level(unsigned pin, int level) {
    std::lock_guard lock(mu_);
    gpio_.set_input_level(pin, level);
}

int Cp2112Model::pin_level(unsigned pin) const {
    std::lock_guard lock(mu_);
    return gpio_.pin_level(pin);
}

std::vector<uint8_t> Cp2112Model::eeprom_contents() const {
    return eeprom_ ? eeprom_->contents() : std::vector<uint8_t>{};
}

void Cp2112Model::set_temperature_millicelsius(int mc) {
    if (sensor_) sensor_->set_temperature_millicelsius(mc);
}

SmbusConfig Cp2112Model::smbus_config() const {
    std::lock_guard lock(mu_);
    return smbus_;
}

PromFields Cp2112Model::prom() const {
    std::lock_guard lock(mu_);
    return prom_.fields();
}

void Cp2112Model::set_prom(PromFields fields) {
    std::lock_guard lock(mu_);
    prom_.set_fields(std::move(fields));
}

std::array<uint8_t, kGpioConfigLen> Cp2112Model::gpio_config() const {
    std::lock_guard lock(mu_);
    return gpio_.config_report();
}

}  // namespace usbio::models
