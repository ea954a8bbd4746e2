// SPDX-License-Identifier: Apache-2.0
// HID reports over a usb::Transport: feature reports on endpoint 0, output
// reports on the interrupt OUT endpoint, input reports from an interrupt IN
// transfer that is kept armed and feeds a queue.
//
// The chip's replies carry no request tag, only a report ID. Requests are
// therefore strictly one at a time, and the channel counts the replies
// still owed: every Transfer Status Request is owed a status report, every
// Force Send a data report. An input report nobody is owed is dropped as it
// arrives. When an exchange is abandoned with replies still owed, the next
// one first resynchronises: it cancels the chip's transfer, sends a status
// request as a fence, and discards everything until every owed reply (the
// fence's included) has arrived. The IN endpoint delivers in order, so
// nothing older can follow the fence's answer; a late reply that overtakes
// it is waited for all the same. When the fence is not answered in time the
// replies owed are written off (a chip may lose them) and the next exchange
// fences again. With Auto Send Read the chip sends a read's data by itself;
// those reports are expected by the bytes they carry, not by request.
//
// Every wait ends on its deadline, on abort() (ENODEV), or when the transport
// reports the device gone (ENODEV).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

#include "usbio/usb/transport.hpp"

namespace usbio::cp2112 {

class HidChannel {
public:
    using Clock = std::chrono::steady_clock;

    // Locates the HID interface and its interrupt endpoints in the
    // transport's descriptors and arms the IN transfer. EPROTO when the
    // device has no interrupt IN endpoint.
    static std::error_code open(std::unique_ptr<usb::Transport> transport, std::unique_ptr<HidChannel>& out);

    // Stops the IN transfer and releases the transport; no completion
    // touches this object afterwards.
    ~HidChannel();
    HidChannel(const HidChannel&) = delete;
    HidChannel& operator=(const HidChannel&) = delete;

    const usb::DeviceIdentity& identity() const { return transport_->identity(); }

    // GET_REPORT (feature): `out` receives what the device sent, ID first.
    std::error_code get_feature(uint8_t id, std::size_t length, std::vector<uint8_t>& out);
    // SET_REPORT (feature): `report` starts with its ID.
    std::error_code set_feature(std::span<const uint8_t> report);
    // A feature report the transport sends when it lets the device go while
    // the device is still there (usb::Transport::set_release_request).
    void set_feature_on_release(std::span<const uint8_t> report);
    // Output report: interrupt OUT, or SET_REPORT (output) on a device
    // without an OUT endpoint. A status request or force-send makes its
    // reply owed; one that fails to go out owes nothing and has the next
    // exchange fence.
    std::error_code send_output(std::span<const uint8_t> report);

    // Starts a request/reply exchange: discards queued input reports and,
    // when an earlier exchange left replies owed, resynchronises with a
    // fence (see above) by `deadline`. ETIMEDOUT when the fence is not
    // answered in time; EIO when the IN transfer fails meanwhile.
    std::error_code begin_exchange(Clock::time_point deadline);
    // With Auto Send Read on, a read's data comes without force-sends:
    // accept data reports carrying up to `bytes` before the request goes
    // out. Data still to come when the next exchange begins is fenced off
    // then. end_auto_data() when the chip said it sends no more (an error
    // status: the IN endpoint delivers in order, so nothing sent before it
    // is still on its way).
    void expect_auto_data(std::size_t bytes);
    void end_auto_data();
    // Next input report with this ID. Reports of the other known ID stay
    // queued for their own wait (until the next exchange begins); an empty
    // report or an unknown ID is EPROTO; a failed or
    // cancelled IN transfer is EIO (EPROTO for an over-long packet).
    std::error_code await_input(uint8_t id, Clock::time_point deadline, std::vector<uint8_t>& out);
    // Waits until `until`, or returns ENODEV at once when aborted or gone.
    std::error_code pause_until(Clock::time_point until);
    // Discards input reports until none has arrived for `quiet` (at most
    // `limit` in all): stale reports a chip sends after configuration.
    void settle(std::chrono::milliseconds quiet, std::chrono::milliseconds limit);

    // Removal: wakes every waiter (they return ENODEV) and aborts the
    // transport. Any thread, any number of times.
    void abort() noexcept;
    bool aborted() const noexcept;

private:
    struct State;

    HidChannel(std::unique_ptr<usb::Transport> transport, uint8_t interface, uint8_t in_ep, uint16_t in_size,
               std::optional<uint8_t> out_ep);

    std::error_code map_status(std::error_code ec) const;
    usb::ControlSetup report_request(uint8_t request_type, uint8_t request, uint8_t report_type, uint8_t id,
                                     std::size_t length) const;
    // SET_REPORT on ep0; report[0] is the report id, and report is not empty.
    std::error_code set_report(uint8_t report_type, std::span<const uint8_t> report);
    // Sends the fence and waits until nothing is owed any more.
    std::error_code resync(Clock::time_point deadline);

    std::unique_ptr<usb::Transport> transport_;
    std::shared_ptr<State> st_;  // shared with IN completions
    const uint8_t interface_;
    const std::optional<uint8_t> out_ep_;
};

}  // namespace usbio::cp2112
