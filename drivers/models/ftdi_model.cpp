// SPDX-License-Identifier: Apache-2.0
#include "models/ftdi_model.hpp"

#include <functional>
#include <mutex>
#include <stdexcept>

#include "models/ftdi_i2c_wire.hpp"
#include "models/ftdi_mpsse.hpp"
#include "usbio/usb/ch9.hpp"

namespace usbio::models {

namespace {

using namespace usb::ch9;

constexpr uint16_t kVid = 0x0403;
constexpr uint16_t kMaxPacket = 512;

struct KindInfo {
    uint16_t pid;
    uint16_t bcd;
    const char* product;
    unsigned interfaces;  // all ports, MPSSE or not
    unsigned mpsse_ports;
    MpsseLimits limits;
};

KindInfo info_of(FtdiKind k) {
    switch (k) {
    case FtdiKind::ft232h: return {0x6014, 0x0900, "Single RS232-HS", 1, 1, {true, true, 1024}};
    case FtdiKind::ft2232h: return {0x6010, 0x0700, "Dual RS232-HS", 2, 2, {true, false, 4096}};
    case FtdiKind::ft4232h: return {0x6011, 0x0800, "Quad RS232-HS", 4, 2, {false, false, 2048}};
    }
    return {0x6014, 0x0900, "Single RS232-HS", 1, 1, {}};
}

constexpr uint8_t lo(uint16_t v) { return uint8_t(v); }
constexpr uint8_t hi(uint16_t v) { return uint8_t(v >> 8); }
uint8_t in_ep(unsigned port) { return static_cast<uint8_t>(0x81 + 2 * port); }
uint8_t out_ep(unsigned port) { return static_cast<uint8_t>(0x02 + 2 * port); }

// Vendor requests (bRequest).
constexpr uint8_t kReset = 0x00;
constexpr uint8_t kModemStatus = 0x05;
constexpr uint8_t kSetLatency = 0x09;
constexpr uint8_t kGetLatency = 0x0A;
constexpr uint8_t kSetBitmode = 0x0B;
constexpr uint8_t kReadPins = 0x0C;

}  // namespace

struct FtdiChipModel::PortState {
    std::shared_ptr<I2cBus> bus = std::make_shared<I2cBus>();
    std::unique_ptr<FtdiI2cWire> wire;
    std::unique_ptr<MpsseEngine> engine;
    std::shared_ptr<Eeprom24cxx> eeprom;
    std::shared_ptr<Lm75> sensor;
    std::shared_ptr<Pca953x> expander;
    std::shared_ptr<Pcf857x> pcf;
    uint8_t latency = 16;
    uint64_t out_packets = 0;
    uint64_t in_packets = 0;
    bool truncate_next = false;
};

struct FtdiChipModel::Shared {
    FtdiOptions options;
    KindInfo kind;
    mutable std::mutex mu;
    std::vector<PortState> ports;
    std::mutex notify_mu;  // held while a notifier runs or is replaced
    std::vector<std::function<void()>> notifiers;

    PortState& at(unsigned port) {
        if (port >= ports.size()) throw std::out_of_range("ftdi model: no MPSSE port " + std::to_string(port));
        return ports[port];
    }
    const PortState& at(unsigned port) const { return const_cast<Shared*>(this)->at(port); }

    void notify(unsigned port) {
        std::lock_guard lk(notify_mu);
        if (notifiers[port]) notifiers[port]();
    }
};

template <class F>
auto FtdiChipModel::with_port(unsigned port, F f) const {
    std::lock_guard lk(sh_->mu);
    return f(sh_->at(port));
}

class FtdiChipModel::Port final : public usb::DeviceModel {
public:
    Port(std::shared_ptr<Shared> sh, unsigned index) : sh_(std::move(sh)), index_(index) {}

    usb::DeviceIdentity identity() const override {
        usb::DeviceIdentity id;
        id.vid = kVid;
        id.pid = sh_->kind.pid;
        id.bcd_device = sh_->kind.bcd;
        id.manufacturer = "FTDI";
        id.product = sh_->kind.product;
        id.serial = sh_->options.serial;
        id.simulated = true;
        usb::InterfaceInfo itf;
        itf.number = static_cast<uint8_t>(index_);
        itf.klass = 0xFF;
        itf.endpoints = {{in_ep(index_), usb::TransferType::bulk, kMaxPacket},
                         {out_ep(index_), usb::TransferType::bulk, kMaxPacket}};
        id.interfaces.push_back(itf);
        return id;
    }

    std::vector<uint8_t> device_descriptor() const override {
        return {18,
                kDescDevice,
                lo(0x0200),
                hi(0x0200),
                0x00,
                0x00,
                0x00,
                64,
                lo(kVid),
                hi(kVid),
                lo(sh_->kind.pid),
                hi(sh_->kind.pid),
                lo(sh_->kind.bcd),
                hi(sh_->kind.bcd),
                1,
                2,
                3,
                1};
    }

    std::vector<uint8_t> config_descriptor() const override {
        const unsigned n = sh_->kind.interfaces;
        const uint16_t total = static_cast<uint16_t>(9 + n * (9 + 7 + 7));
        std::vector<uint8_t> d = {9, kDescConfig, lo(total), hi(total), static_cast<uint8_t>(n), 1, 0, 0x80, 45};
        for (unsigned i = 0; i < n; ++i) {
            d.insert(d.end(), {9, kDescInterface, static_cast<uint8_t>(i), 0, 2, 0xFF, 0xFF, 0xFF, 2});
            d.insert(d.end(), {7, kDescEndpoint, in_ep(i), kEpBulk, lo(kMaxPacket), hi(kMaxPacket), 0});
            d.insert(d.end(), {7, kDescEndpoint, out_ep(i), kEpBulk, lo(kMaxPacket), hi(kMaxPacket), 0});
        }
        return d;
    }

    usb::ControlReply control(const usb::ControlSetup& s, std::span<const uint8_t> /*out*/) override {
        usb::ControlReply r;
        if ((s.bmRequestType & kReqTypeMask) != kReqTypeVendor) {
            r.stall = true;
            return r;
        }
        // wIndex names the port (1 = A): endpoint 0 is the chip's, not
        // this interface's.
        const unsigned port = (s.wIndex & 0xff) - 1u;
        std::lock_guard lk(sh_->mu);
        if (port >= sh_->ports.size()) {
            r.stall = port >= sh_->kind.interfaces;  // a UART-only port takes requests this model ignores
            return r;
        }
        PortState& p = sh_->ports[port];
        const bool in = s.bmRequestType & kDirIn;
        switch (s.bRequest) {
        case kReset:
            if (in) break;
            if (s.wValue == 0) p.engine->reset();
            if (s.wValue == 1) p.engine->purge_replies();
            if (s.wValue == 2) p.engine->purge_commands();
            return r;
        case kSetLatency:
            if (in || (s.wValue & 0xff) == 0) break;
            p.latency = static_cast<uint8_t>(s.wValue);
            return r;
        case kSetBitmode:
            if (in) break;
            p.engine->set_bitmode(static_cast<uint8_t>(s.wValue >> 8), static_cast<uint8_t>(s.wValue));
            return r;
        case kGetLatency:
            if (!in) break;
            r.data = {p.latency};
            return r;
        case kReadPins:
            if (!in) break;
            r.data = {static_cast<uint8_t>(p.engine->levels())};
            return r;
        case kModemStatus:
            if (!in) break;
            r.data = {0x32, 0x60};
            return r;
        case 0x01:
        case 0x02:
        case 0x03:
        case 0x04:
        case 0x06:
        case 0x07:
            if (in) break;
            return r;  // UART settings: accepted, no effect in MPSSE mode
        default: break;
        }
        r.stall = true;
        return r;
    }

    bool out_packet(uint8_t endpoint, std::span<const uint8_t> data) override {
        if (endpoint != out_ep(index_)) return false;
        bool ready = false;
        {
            std::lock_guard lk(sh_->mu);
            PortState& p = sh_->ports[index_];
            p.engine->feed(data);
            ++p.out_packets;
            ready = p.engine->reply_ready();
        }
        if (ready) sh_->notify(index_);
        return true;
    }

    std::optional<std::vector<uint8_t>> in_packet(uint8_t endpoint) override {
        if (endpoint != in_ep(index_)) return std::nullopt;
        std::lock_guard lk(sh_->mu);
        PortState& p = sh_->ports[index_];
        auto pkt = p.engine->take_packet(kMaxPacket);
        if (pkt && pkt->size() > 2) ++p.in_packets;
        if (pkt && p.truncate_next) {
            p.truncate_next = false;
            pkt->resize(1);
        }
        return pkt;
    }

    void set_in_ready_notifier(std::function<void()> notify) override {
        std::lock_guard lk(sh_->notify_mu);
        sh_->notifiers[index_] = std::move(notify);
    }

    void reset() override {
        std::lock_guard lk(sh_->mu);
        PortState& p = sh_->ports[index_];
        p.engine->set_bitmode(0, 0);
        p.engine->reset();
        p.wire->reset();
        p.latency = 16;
        p.truncate_next = false;
    }

private:
    std::shared_ptr<Shared> sh_;
    unsigned index_;
};

FtdiChipModel::FtdiChipModel(FtdiOptions options) : sh_(std::make_shared<Shared>()) {
    sh_->options = std::move(options);
    sh_->kind = info_of(sh_->options.kind);
    sh_->ports.resize(sh_->kind.mpsse_ports);
    sh_->notifiers.resize(sh_->kind.mpsse_ports);
    for (unsigned i = 0; i < sh_->ports.size(); ++i) {
        auto& p = sh_->ports[i];
        p.wire = std::make_unique<FtdiI2cWire>(p.bus);
        p.engine = std::make_unique<MpsseEngine>(sh_->kind.limits, *p.wire);
        if (sh_->options.with_eeprom) {
            Eeprom24cxxConfig config = sh_->options.eeprom_part;
            config.write_cycle = sh_->options.eeprom_write_cycle;
            p.eeprom = std::make_shared<Eeprom24cxx>(config);
            p.eeprom->attach_to(*p.bus, kEepromAddress);
        }
        if (sh_->options.with_sensor) {
            p.sensor = std::make_shared<Lm75>();
            p.bus->attach(kSensorAddress, p.sensor);
        }
        if (sh_->options.with_expanders) {
            p.expander = std::make_shared<Pca953x>();
            p.bus->attach(kExpanderAddress, p.expander);
            p.pcf = std::make_shared<Pcf857x>(8);
            p.bus->attach(kPcfAddress, p.pcf);
        }
        ports_.push_back(std::make_shared<Port>(sh_, i));
    }
}

FtdiChipModel::~FtdiChipModel() = default;

unsigned FtdiChipModel::ports() const { return static_cast<unsigned>(ports_.size()); }

std::shared_ptr<usb::DeviceModel> FtdiChipModel::port(unsigned index) const {
    return index < ports_.size() ? ports_[index] : nullptr;
}

std::shared_ptr<I2cBus> FtdiChipModel::bus(unsigned port) const { return sh_->at(port).bus; }
std::shared_ptr<Eeprom24cxx> FtdiChipModel::eeprom(unsigned port) const { return sh_->at(port).eeprom; }
std::shared_ptr<Lm75> FtdiChipModel::sensor(unsigned port) const { return sh_->at(port).sensor; }
std::shared_ptr<Pca953x> FtdiChipModel::expander(unsigned port) const { return sh_->at(port).expander; }
std::shared_ptr<Pcf857x> FtdiChipModel::pcf(unsigned port) const { return sh_->at(port).pcf; }

void FtdiChipModel::attach_ten_bit(unsigned port, uint16_t addr10, std::shared_ptr<I2cTarget> target) {
    with_port(port, [&](PortState& p) { p.wire->attach_ten_bit(addr10, std::move(target)); });
}

void FtdiChipModel::set_external(unsigned port, unsigned pin, int level) {
    with_port(port, [&](PortState& p) { p.engine->set_external(pin, level); });
}

uint16_t FtdiChipModel::pin_levels(unsigned port) const {
    return with_port(port, [](PortState& p) { return p.engine->levels(); });
}

bool FtdiChipModel::mpsse(unsigned port) const {
    return with_port(port, [](PortState& p) { return p.engine->mpsse(); });
}

std::vector<std::string> FtdiChipModel::violations(unsigned port) const {
    return with_port(port, [](PortState& p) { return p.engine->violations(); });
}

void FtdiChipModel::clear_violations(unsigned port) {
    with_port(port, [](PortState& p) { p.engine->clear_violations(); });
}

unsigned FtdiChipModel::starts(unsigned port) const {
    return with_port(port, [](PortState& p) { return p.wire->starts(); });
}

unsigned FtdiChipModel::stops(unsigned port) const {
    return with_port(port, [](PortState& p) { return p.wire->stops(); });
}

uint64_t FtdiChipModel::commands(unsigned port) const {
    return with_port(port, [](PortState& p) { return p.engine->commands(); });
}

uint64_t FtdiChipModel::gpio_changes(unsigned port) const {
    return with_port(port, [](PortState& p) { return p.engine->gpio_changes(); });
}

uint16_t FtdiChipModel::divisor(unsigned port) const {
    return with_port(port, [](PortState& p) { return p.engine->divisor(); });
}

bool FtdiChipModel::three_phase(unsigned port) const {
    return with_port(port, [](PortState& p) { return p.engine->three_phase(); });
}

uint8_t FtdiChipModel::latency_ms(unsigned port) const {
    return with_port(port, [](PortState& p) { return p.latency; });
}

uint64_t FtdiChipModel::out_packets(unsigned port) const {
    return with_port(port, [](PortState& p) { return p.out_packets; });
}

uint64_t FtdiChipModel::in_packets(unsigned port) const {
    return with_port(port, [](PortState& p) { return p.in_packets; });
}

void FtdiChipModel::status_only_packets(unsigned port, unsigned n) {
    with_port(port, [&](PortState& p) { p.engine->status_only_packets(n); });
    sh_->notify(port);
}

void FtdiChipModel::inject_bad_command(unsigned port, uint8_t opcode) {
    with_port(port, [&](PortState& p) { p.engine->inject_bad_command(opcode); });
}

void FtdiChipModel::truncate_next_packet(unsigned port) {
    with_port(port, [](PortState& p) { p.truncate_next = true; });
}

}  // namespace usbio::models
