// SPDX-License-Identifier: Apache-2.0
// Endpoint 0 of the CP2112 model: standard requests, HID class requests and
// the feature reports behind them.
#include <algorithm>

#include "models/cp2112_descriptors.hpp"
#include "models/cp2112_model.hpp"
#include "usbio/usb/ch9.hpp"

namespace usbio::models {

using namespace cp2112;

namespace {

using namespace usb::ch9;

// Standard requests.

// HID class requests.

usb::ControlReply stall() { return {true, {}}; }
usb::ControlReply ack() { return {false, {}}; }
usb::ControlReply reply(std::vector<uint8_t> data, uint16_t length) {
    if (data.size() > length) data.resize(length);
    return {false, std::move(data)};
}
usb::ControlReply reply(std::vector<uint8_t> data, uint16_t length, uint8_t id) {
    data.at(0) = id;
    return reply(std::move(data), length);
}

}  // namespace

usb::ControlReply Cp2112Model::control(const usb::ControlSetup& setup, std::span<const uint8_t> out) {
    switch (setup.bmRequestType & kReqTypeMask) {
    case kReqTypeStandard: return standard_request(setup);
    case kReqTypeClass:
        if ((setup.bmRequestType & kRecipientMask) == kRecipientInterface && setup.wIndex == 0)
            return class_request(setup, out);
        return stall();
    default: return stall();
    }
}

usb::ControlReply Cp2112Model::standard_request(const usb::ControlSetup& s) {
    const bool in = (s.bmRequestType & usb::kDirIn) != 0;
    const uint8_t recipient = s.bmRequestType & kRecipientMask;
    const uint8_t desc_type = uint8_t(s.wValue >> 8);
    const uint8_t desc_index = uint8_t(s.wValue);

    if (s.bRequest == kGetDescriptor && in && recipient == kRecipientDevice) {
        switch (desc_type) {
        case 0x01: return reply(device_descriptor(), s.wLength);
        case 0x02: return reply(config_descriptor(), s.wLength);
        case 0x03:
            switch (desc_index) {
            case 0: return reply(langid_descriptor(), s.wLength);
            case 1: return reply(string_descriptor(identity().manufacturer), s.wLength);
            case 2: return reply(string_descriptor(identity().product), s.wLength);
            case 3: return reply(string_descriptor(options_.serial), s.wLength);
            default: return stall();
            }
        default: return stall();  // full speed only: no device qualifier
        }
    }
    if (s.bRequest == kGetDescriptor && in && recipient == kRecipientInterface && s.wIndex == 0) {
        if (desc_type == 0x22) return reply(hid_report_descriptor(), s.wLength);
        if (desc_type == 0x21) return reply(hid_descriptor(), s.wLength);
        return stall();
    }
    if (in) {
        switch (s.bRequest) {
        case kGetStatus: return reply({0x00, 0x00}, s.wLength);
        case kGetConfiguration: {
            std::lock_guard lock(mu_);
            return reply({configuration_}, s.wLength);
        }
        case kGetInterface:
            return recipient == kRecipientInterface && s.wIndex == 0 ? reply({0x00}, s.wLength) : stall();
        default: return stall();
        }
    }
    switch (s.bRequest) {
    case kSetAddress:
    case kClearFeature:
    case kSetFeature: return ack();
    case kSetConfiguration: {
        if (s.wValue > 1) return stall();
        std::lock_guard lock(mu_);
        configuration_ = uint8_t(s.wValue);
        return ack();
    }
    case kSetInterface: return s.wValue == 0 && s.wIndex == 0 ? ack() : stall();
    default: return stall();
    }
}

usb::ControlReply Cp2112Model::class_request(const usb::ControlSetup& s, std::span<const uint8_t> out) {
    const bool in = (s.bmRequestType & usb::kDirIn) != 0;
    const uint8_t report_type = uint8_t(s.wValue >> 8);
    const uint8_t report_id = uint8_t(s.wValue);
    std::lock_guard lock(mu_);
    if (in && s.bRequest == kHidGetReport && report_type == kHidReportFeature) {
        auto report = get_feature_locked(report_id);
        return report ? reply(std::move(*report), s.wLength) : stall();
    }
    // Some hosts read every input report over EP0 when they bind. The answer
    // is an Idle snapshot: the real reports, with state behind them, only go
    // out on the interrupt endpoint.
    if (in && s.bRequest == kHidGetReport && report_type == kHidReportInput) {
        if (report_id == kReadResponse)
            return reply(std::vector<uint8_t>(kReadResponseLen, 0x00), s.wLength, report_id);
        if (report_id == kStatusResponse)
            return reply(std::vector<uint8_t>(kStatusResponseLen, 0x00), s.wLength, report_id);
        return stall();
    }
    if (in && s.bRequest == kHidGetIdle) return reply({0x00}, s.wLength);
    if (!in && s.bRequest == kHidSetIdle) return ack();
    if (!in && s.bRequest == kHidSetReport && !out.empty() && out[0] == report_id) {
        if (report_type == kHidReportFeature) return set_feature_locked(report_id, out) ? ack() : stall();
        if (report_type == kHidReportOutput) {
            output_report_locked(out);
            return ack();
        }
    }
    return stall();
}

std::optional<std::vector<uint8_t>> Cp2112Model::get_feature_locked(uint8_t id) const {
    switch (id) {
    case kGpioConfig: {
        const auto r = gpio_.config_report();
        return std::vector<uint8_t>(r.begin(), r.end());
    }
    case kGpioGet: return std::vector<uint8_t>{kGpioGet, gpio_.levels()};
    case kVersion: return std::vector<uint8_t>{kVersion, kPartNumber, options_.device_version};
    case kSmbusConfig: {
        const auto r = smbus_.encode();
        return std::vector<uint8_t>(r.begin(), r.end());
    }
    case kLockByte:
    case kUsbConfig:
    case kManufacturerString:
    case kProductString:
    case kSerialString: return prom_.get(id);
    default: return std::nullopt;  // set-only or unknown
    }
}

bool Cp2112Model::set_feature_locked(uint8_t id, std::span<const uint8_t> d) {
    switch (id) {
    case kReset:
        if (d.size() < kResetLen) return false;
        reset_locked();
        return true;
    case kGpioConfig: return gpio_.set_config(d);
    case kGpioSet:
        if (d.size() < kGpioSetLen) return false;
        gpio_.set_values(d[1], d[2]);
        return true;
    case kSmbusConfig:
        if (auto config = SmbusConfig::decode(d)) {
            smbus_ = *config;
            return true;
        }
        return false;
    case kLockByte:
    case kUsbConfig:
    case kManufacturerString:
    case kProductString:
    case kSerialString: return prom_.set(id, d);
    default: return false;
    }
}

}  // namespace usbio::models
