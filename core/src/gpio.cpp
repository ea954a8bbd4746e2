// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include "access.hpp"
#include "gpio_core.hpp"

namespace usbio {

const char* to_string(Direction d) noexcept { return d == Direction::input ? "input" : "output"; }

const char* to_string(Edge e) noexcept {
    switch (e) {
    case Edge::none: return "none";
    case Edge::rising: return "rising";
    case Edge::falling: return "falling";
    case Edge::both: return "both";
    }
    return "?";
}

const char* to_string(Drive d) noexcept {
    switch (d) {
    case Drive::push_pull: return "push-pull";
    case Drive::open_drain: return "open-drain";
    case Drive::open_source: return "open-source";
    }
    return "?";
}

namespace detail {

std::string GpioChipCore::line_name(unsigned offset) const {
    std::string s = "line " + std::to_string(offset);
    if (offset < desc.line_names.size() && !desc.line_names[offset].empty()) s += " (" + desc.line_names[offset] + ")";
    return s + " of " + dev.info().display_name();
}

int LineRequestCore::index_of(unsigned offset) const {
    auto it = std::find(offsets.begin(), offsets.end(), offset);
    return it == offsets.end() ? -1 : static_cast<int>(it - offsets.begin());
}

// Core bookkeeping only: never calls the driver, so it is safe at any time,
// including long after the adapter is gone.
void LineRequestCore::release() {
    if (released.exchange(true)) return;
    if (edges) edges->stop();
    std::lock_guard lk(chip->mu);
    for (unsigned o : offsets) chip->lines[o] = GpioChipCore::LineState{};
}

namespace {

// EBUSY from the driver (not core's own "requested by" check): the chip
// has given the line another function (an LED toggle, a clock output).
// `function` names it when known (GpioLineConfig::function).
Result<void> explain_busy(Result<void> r, const std::string& function = {}) {
    if (r || r.code().value() != EBUSY) return r;
    if (!function.empty())
        return make_error(EBUSY,
                          r.error().message + " (the chip uses the line for another function: " + function + ")");
    return make_error(
        EBUSY, r.error().message + " (the chip uses the line for another function; see the adapter's configuration)");
}

Error released_error(const LineRequestCore& r) {
    return make_error(EBADF, r.chip->dev.info().display_name() + ": line request of '" + r.consumer + "' was released");
}

}  // namespace

}  // namespace detail

using detail::GpioChipCore;
using detail::LineRequestCore;

ChipInfo GpioChip::info() const {
    if (!core_) return {};
    return ChipInfo{core_->desc.name, core_->desc.label, core_->num_lines()};
}

std::optional<unsigned> GpioChip::find_line(std::string_view name) const {
    if (!core_ || name.empty()) return std::nullopt;
    const auto& names = core_->desc.line_names;
    for (unsigned i = 0; i < names.size(); ++i)
        if (names[i] == name) return i;
    return std::nullopt;
}

Result<LineInfo> GpioChip::line_info(unsigned offset) const {
    if (!core_) return make_error(ENODEV, "empty gpio chip handle");
    if (offset >= core_->num_lines())
        return make_error(EINVAL, core_->dev.info().display_name() + ": no line " + std::to_string(offset) +
                                      " (the chip has " + std::to_string(core_->num_lines()) + " lines)");
    LineInfo li;
    li.offset = offset;
    li.name = core_->desc.line_names[offset];
    {
        std::lock_guard lk(core_->mu);
        const auto& st = core_->lines[offset];
        li.used = st.used;
        li.consumer = st.consumer;
        li.active_low = st.active_low;
    }
    driver::GpioLineConfig cfg;
    if (auto r = core_->call([&](driver::GpioOps& ops) { return ops.get_config(offset, cfg); },
                             [&] { return "reading " + core_->line_name(offset); });
        !r)
        return r.error();
    li.direction = cfg.direction;
    li.drive = cfg.drive;
    if (!li.used && !cfg.function.empty()) {
        li.used = true;
        li.consumer = cfg.function;
    }
    return li;
}

Result<LineRequest> GpioChip::request_lines(const RequestConfig& config) {
    if (!core_) return make_error(ENODEV, "empty gpio chip handle");
    GpioChipCore& chip = *core_;
    const std::string& dev_name = chip.dev.info().display_name();
    if (config.lines.empty()) return make_error(EINVAL, dev_name + ": no lines given to request");
    uint64_t mask = 0;
    for (const auto& l : config.lines) {
        if (l.offset >= chip.num_lines())
            return make_error(EINVAL, dev_name + ": no line " + std::to_string(l.offset) + " (the chip has " +
                                          std::to_string(chip.num_lines()) + " lines)");
        if (mask & (uint64_t{1} << l.offset)) return make_error(EINVAL, chip.line_name(l.offset) + " is given twice");
        if (l.settings.edge != Edge::none && l.settings.direction != Direction::input)
            return make_error(EINVAL, chip.line_name(l.offset) + ": edge detection needs an input");
        mask |= uint64_t{1} << l.offset;
    }
    if (chip.dev.state() != DeviceState::present) return chip.dev.gone_error("requesting lines");

    auto req = std::make_shared<LineRequestCore>();
    req->chip = core_;
    req->consumer = config.consumer;
    req->mask = mask;
    {
        std::lock_guard lk(chip.mu);
        for (const auto& l : config.lines) {
            const auto& st = chip.lines[l.offset];
            if (st.used)
                return make_error(EBUSY, chip.line_name(l.offset) + " is busy (requested by '" + st.consumer + "')");
        }
        for (const auto& l : config.lines) {
            chip.lines[l.offset] = GpioChipCore::LineState{true, config.consumer, l.settings.active_low};
            req->offsets.push_back(l.offset);
            req->settings.push_back(l.settings);
        }
    }
    // From here the request owns the lines; on failure its destructor frees them.
    bool any_edge = false;
    for (const auto& l : config.lines) any_edge |= l.settings.edge != Edge::none;
    if (any_edge && config.edge_poll_period.count() <= 0)
        return make_error(EINVAL, dev_name + ": edge poll period must be positive");
    // One section for the whole set-up; `failed` says which step to name.
    const LineConfig* failed = nullptr;
    uint64_t baseline = 0;
    auto r = chip.call(
        [&](driver::GpioOps& ops) {
            for (const auto& l : config.lines) {
                driver::GpioLineConfig cfg;
                cfg.direction = l.settings.direction;
                cfg.drive = l.settings.drive;
                cfg.value = l.settings.output_value != l.settings.active_low;
                if (auto ec = ops.configure(l.offset, cfg)) {
                    failed = &l;
                    return ec;
                }
            }
            return any_edge ? ops.get(req->mask, baseline) : std::error_code{};
        },
        [&] {
            if (failed == nullptr)
                return std::string(any_edge ? "reading lines for edge detection" : "requesting lines");
            return "configuring " + chip.line_name(failed->offset) + " as " + to_string(failed->settings.direction) +
                   " " + to_string(failed->settings.drive);
        });
    if (!r) {
        std::string function;
        if (r.code().value() == EBUSY && failed) {
            driver::GpioLineConfig cfg;
            if (chip.call([&](driver::GpioOps& ops) { return ops.get_config(failed->offset, cfg); },
                          [] { return std::string(); }))
                function = cfg.function;
        }
        return detail::explain_busy(std::move(r), function).error();
    }
    if (any_edge) req->edges = std::make_unique<detail::EdgeSampler>(*req, config.edge_poll_period, baseline);
    return detail::Access::make<LineRequest>(std::move(req));
}

std::vector<unsigned> LineRequest::offsets() const { return core_ ? core_->offsets : std::vector<unsigned>{}; }

Result<std::vector<int>> LineRequest::get_values() const {
    if (!core_) return make_error(ENODEV, "empty line request handle");
    const LineRequestCore& r = *core_;
    if (r.released.load(std::memory_order_acquire)) return detail::released_error(r);
    uint64_t levels = 0;
    if (auto res = r.chip->call([&](driver::GpioOps& ops) { return ops.get(r.mask, levels); },
                                [] { return std::string("reading lines"); });
        !res)
        return res.error();
    std::vector<int> out;
    out.reserve(r.offsets.size());
    for (std::size_t i = 0; i < r.offsets.size(); ++i) {
        bool level = (levels >> r.offsets[i]) & 1;
        out.push_back(level != r.settings[i].active_low ? 1 : 0);
    }
    return out;
}

Result<int> LineRequest::get_value(unsigned offset) const {
    if (!core_) return make_error(ENODEV, "empty line request handle");
    const LineRequestCore& r = *core_;
    int idx = r.index_of(offset);
    if (idx < 0) return make_error(EINVAL, r.chip->line_name(offset) + " is not part of this request");
    if (r.released.load(std::memory_order_acquire)) return detail::released_error(r);
    uint64_t levels = 0;
    if (auto res = r.chip->call([&](driver::GpioOps& ops) { return ops.get(uint64_t{1} << offset, levels); },
                                [&] { return "reading " + r.chip->line_name(offset); });
        !res)
        return res.error();
    bool level = (levels >> offset) & 1;
    return level != r.settings[idx].active_low ? 1 : 0;
}

Result<void> LineRequest::set_values(const std::vector<int>& values) {
    if (!core_) return make_error(ENODEV, "empty line request handle");
    const LineRequestCore& r = *core_;
    if (values.size() != r.offsets.size())
        return make_error(EINVAL, r.chip->dev.info().display_name() + ": " + std::to_string(values.size()) +
                                      " values given for " + std::to_string(r.offsets.size()) + " lines");
    uint64_t mask = 0, levels = 0;
    for (std::size_t i = 0; i < r.offsets.size(); ++i) {
        if (r.settings[i].direction != Direction::output)
            return make_error(EPERM, r.chip->line_name(r.offsets[i]) + " is an input; it cannot be set");
        mask |= uint64_t{1} << r.offsets[i];
        if ((values[i] != 0) != r.settings[i].active_low) levels |= uint64_t{1} << r.offsets[i];
    }
    if (r.released.load(std::memory_order_acquire)) return detail::released_error(r);
    return detail::explain_busy(r.chip->call([&](driver::GpioOps& ops) { return ops.set(mask, levels); },
                                             [] { return std::string("setting lines"); }));
}

Result<void> LineRequest::set_value(unsigned offset, int value) {
    if (!core_) return make_error(ENODEV, "empty line request handle");
    const LineRequestCore& r = *core_;
    int idx = r.index_of(offset);
    if (idx < 0) return make_error(EINVAL, r.chip->line_name(offset) + " is not part of this request");
    if (r.settings[idx].direction != Direction::output)
        return make_error(EPERM, r.chip->line_name(offset) + " is an input; it cannot be set");
    if (r.released.load(std::memory_order_acquire)) return detail::released_error(r);
    uint64_t bit = uint64_t{1} << offset;
    uint64_t levels = ((value != 0) != r.settings[idx].active_low) ? bit : 0;
    return detail::explain_busy(r.chip->call([&](driver::GpioOps& ops) { return ops.set(bit, levels); },
                                             [&] { return "setting " + r.chip->line_name(offset); }));
}

Result<std::vector<EdgeEvent>> LineRequest::wait_edge_events(std::chrono::milliseconds timeout) {
    if (!core_) return make_error(ENODEV, "empty line request handle");
    if (!core_->edges)
        return make_error(EINVAL, core_->chip->dev.info().display_name() +
                                      ": no line of this request was requested with edge detection");
    return core_->edges->wait(timeout);
}

int LineRequest::edge_event_fd() const { return core_ && core_->edges ? core_->edges->fd() : -1; }

void LineRequest::release() {
    if (core_) core_->release();
}

}  // namespace usbio
