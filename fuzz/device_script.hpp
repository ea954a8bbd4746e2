// SPDX-License-Identifier: Apache-2.0
// How the driver fuzz input scripts the device, shared by the scripted
// transport (which reads it) and the seed generator (which writes it).
//
// Front of the input (the device):
//   identity byte   IdentityBits below
//   then, for each control or OUT transfer the driver submits:
//     action byte   low nibble: Completion; high nibble: input reports that
//                   follow (0-15)
//     [control IN, completed ok: length byte, then min(length, wLength)
//      data bytes]
//     each input report: kind byte (InKind in the low 3 bits); for a
//      report: length byte, then min(length, IN max packet) data bytes.
//   IN transfers read nothing: they are served from the reports queued by
//   earlier actions. When the front is used up, the device is unplugged.
// Back of the input (the operations, read from the last byte backwards): see
// cp2112_driver_fuzz.cpp.
#pragma once

#include <cstdint>

namespace usbio::fuzz::script {

namespace identity {
inline constexpr uint8_t no_out_endpoint = 0x01;  // output reports go over SET_REPORT
inline constexpr uint8_t vendor_class = 0x02;     // interface class 0xFF, not HID
inline constexpr uint8_t extra_interface = 0x04;  // a non-HID interface comes first
inline constexpr uint8_t packet_shift = 3;        // bits 3-5: IN max packet (kPacketSizes)
inline constexpr uint8_t packet_mask = 0x38;
inline constexpr uint8_t no_in_endpoint = 0x40;  // open fails with EPROTO
inline constexpr uint8_t usb_path = 0x80;        // a real port path, not "sim:N"
inline constexpr uint16_t kPacketSizes[8] = {64, 64, 64, 64, 8, 16, 32, 1024};
}  // namespace identity

enum class Completion : uint8_t {
    ok = 0,          // 0-6: complete with all data
    ok_short = 7,    // OUT: one byte short
    stall = 8,       // EPIPE
    timed_out = 9,   // ETIMEDOUT, reported by the transport
    io_error = 10,   // EIO
    overflow = 11,   // EOVERFLOW
    cancelled = 12,  // ECANCELED (not asked for)
    withhold = 13,   // completes only when cancelled: a reply that comes late
    stuck = 14,      // ignores cancel; completes at abort or destruction
    unplug = 15,     // the device leaves: ENODEV from here on
};

enum class InKind : uint8_t {
    report = 0,     // 0-3: delivered before the transfer completes
    late = 4,       // delivered at the next control or OUT transfer
    io_error = 5,   // the IN transfer fails with EIO
    overflow = 6,   // ... with EOVERFLOW
    cancelled = 7,  // ... with ECANCELED
};

inline constexpr uint8_t action(Completion c, unsigned reports) {
    return static_cast<uint8_t>(static_cast<uint8_t>(c) | (reports << 4));
}

}  // namespace usbio::fuzz::script
