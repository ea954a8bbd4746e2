// SPDX-License-Identifier: Apache-2.0
// USB chapter 9 and HID class constants, named once for the drivers, the
// chip models and the gadget that serves them.
#pragma once

#include <cstdint>

namespace usbio::usb::ch9 {

// bmRequestType fields.
inline constexpr uint8_t kDirIn = 0x80;
inline constexpr uint8_t kReqTypeMask = 0x60;
inline constexpr uint8_t kReqTypeStandard = 0x00;
inline constexpr uint8_t kReqTypeClass = 0x20;
inline constexpr uint8_t kReqTypeVendor = 0x40;
inline constexpr uint8_t kRecipientMask = 0x1F;
inline constexpr uint8_t kRecipientDevice = 0x00;
inline constexpr uint8_t kRecipientInterface = 0x01;
inline constexpr uint8_t kStandardDeviceIn = kDirIn | kReqTypeStandard | kRecipientDevice;
inline constexpr uint8_t kClassInterfaceIn = kDirIn | kReqTypeClass | kRecipientInterface;
inline constexpr uint8_t kClassInterfaceOut = kReqTypeClass | kRecipientInterface;

// Standard requests.
inline constexpr uint8_t kGetStatus = 0x00;
inline constexpr uint8_t kClearFeature = 0x01;
inline constexpr uint8_t kSetFeature = 0x03;
inline constexpr uint8_t kSetAddress = 0x05;
inline constexpr uint8_t kGetDescriptor = 0x06;
inline constexpr uint8_t kGetConfiguration = 0x08;
inline constexpr uint8_t kSetConfiguration = 0x09;
inline constexpr uint8_t kGetInterface = 0x0A;
inline constexpr uint8_t kSetInterface = 0x0B;

// Descriptor types.
inline constexpr uint8_t kDescDevice = 0x01;
inline constexpr uint8_t kDescConfig = 0x02;
inline constexpr uint8_t kDescString = 0x03;
inline constexpr uint8_t kDescInterface = 0x04;
inline constexpr uint8_t kDescEndpoint = 0x05;
inline constexpr uint8_t kDescHid = 0x21;
inline constexpr uint8_t kDescHidReport = 0x22;

// Endpoint bmAttributes transfer type.
inline constexpr uint8_t kEpTypeMask = 0x03;
inline constexpr uint8_t kEpIsochronous = 0x01;
inline constexpr uint8_t kEpBulk = 0x02;
inline constexpr uint8_t kEpInterrupt = 0x03;

inline constexpr uint16_t kLangEnglishUs = 0x0409;

// HID class (interface class 3) requests and report types (high byte of
// wValue in GET_REPORT/SET_REPORT).
inline constexpr uint8_t kClassHid = 0x03;
inline constexpr uint8_t kHidGetReport = 0x01;
inline constexpr uint8_t kHidGetIdle = 0x02;
inline constexpr uint8_t kHidSetReport = 0x09;
inline constexpr uint8_t kHidSetIdle = 0x0A;
inline constexpr uint8_t kHidReportInput = 0x01;
inline constexpr uint8_t kHidReportOutput = 0x02;
inline constexpr uint8_t kHidReportFeature = 0x03;

}  // namespace usbio::usb::ch9
