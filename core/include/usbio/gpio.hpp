// SPDX-License-Identifier: Apache-2.0
// GPIO chips and line requests, shaped after libgpiod.
//
// Values in this API are logical: with active_low set, 1 means the line is
// driven/read low. A LineRequest is a shared handle: copies refer to the same
// request, any thread may use it, and release() from one thread while another
// is inside a call is safe (that call finishes, later calls fail with EBADF).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "usbio/error.hpp"
#include "usbio/export.hpp"

namespace usbio {

namespace detail {
class GpioChipCore;
struct LineRequestCore;
struct Access;
}  // namespace detail

enum class Direction { input, output };
enum class Drive { push_pull, open_drain, open_source };
// Edge detection on an input line (libgpiod's edge events).
enum class Edge { none, rising, falling, both };

USBIO_EXPORT const char* to_string(Direction d) noexcept;
USBIO_EXPORT const char* to_string(Drive d) noexcept;
USBIO_EXPORT const char* to_string(Edge e) noexcept;

struct LineSettings {
    Direction direction = Direction::input;
    Drive drive = Drive::push_pull;
    bool active_low = false;
    bool output_value = false;  // logical initial value for outputs
    Edge edge = Edge::none;     // inputs only
};

struct EdgeEvent {
    enum class Type { rising, falling };  // logical (after active-low)
    Type type;
    unsigned offset;
    uint64_t timestamp_ns;  // CLOCK_MONOTONIC when the change was seen
    uint64_t seqno;         // per request, from 1, no gaps unless events were dropped
};

struct LineInfo {
    unsigned offset = 0;
    std::string name;      // empty when the line is unnamed
    bool used = false;     // requested by someone in this process, or given by
                           // the chip's configuration to another function
    std::string consumer;  // who requested it, or that function ("tx-led")
    Direction direction = Direction::input;
    Drive drive = Drive::push_pull;
    bool active_low = false;
};

struct ChipInfo {
    std::string name;   // "cp2112-SIM0001"
    std::string label;  // "cp2112_gpio"
    unsigned num_lines = 0;
};

struct LineConfig {
    unsigned offset = 0;
    LineSettings settings;
};

struct RequestConfig {
    std::string consumer = "usbio";
    std::vector<LineConfig> lines;
    // Adapters without GPIO interrupts (CP2112, FTDI) are sampled at this
    // period while any line has an edge set; shorter edges can be missed.
    std::chrono::microseconds edge_poll_period{std::chrono::milliseconds(5)};
};

class USBIO_EXPORT LineRequest {
public:
    LineRequest() = default;

    std::vector<unsigned> offsets() const;

    Result<int> get_value(unsigned offset) const;
    // Values in the order of offsets().
    Result<std::vector<int>> get_values() const;
    Result<void> set_value(unsigned offset, int value);
    // Values in the order of offsets().
    Result<void> set_values(const std::vector<int>& values);

    // Edge events of lines requested with an edge. Blocks up to timeout;
    // returns the queued events, an empty vector on timeout, ENODEV once the
    // adapter is gone (the stream ends with the removal instead of going
    // silent), EBADF after release(), EINVAL when no line has an edge.
    Result<std::vector<EdgeEvent>> wait_edge_events(std::chrono::milliseconds timeout);
    // Readable (POLLIN) while events are queued or the stream has ended;
    // -1 when no line has an edge.
    int edge_event_fd() const;

    // Frees the lines for other requests. Idempotent; never touches the
    // driver after the device is gone. Wakes a thread blocked in
    // wait_edge_events (it returns EBADF).
    void release();

private:
    friend struct detail::Access;
    explicit LineRequest(std::shared_ptr<detail::LineRequestCore> core) : core_(std::move(core)) {}
    std::shared_ptr<detail::LineRequestCore> core_;
};

class USBIO_EXPORT GpioChip {
public:
    GpioChip() = default;

    ChipInfo info() const;
    Result<LineInfo> line_info(unsigned offset) const;
    Result<LineRequest> request_lines(const RequestConfig& config);
    // Offset of the line with this name, if any.
    std::optional<unsigned> find_line(std::string_view name) const;

private:
    friend struct detail::Access;
    explicit GpioChip(std::shared_ptr<detail::GpioChipCore> core) : core_(std::move(core)) {}
    std::shared_ptr<detail::GpioChipCore> core_;
};

}  // namespace usbio
