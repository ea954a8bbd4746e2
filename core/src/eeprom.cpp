// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cstdio>

#include "access.hpp"
#include "eeprom_core.hpp"

namespace usbio {

namespace {

std::string hex_offset(std::size_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%04zx", v);
    return b;
}

// "reading 32 bytes at byte offset 0x0200"
std::string describe(const char* verb, std::size_t offset, std::size_t length) {
    return std::string(verb) + " " + std::to_string(length) + " byte" + (length == 1 ? "" : "s") + " at byte offset " +
           hex_offset(offset);
}

}  // namespace

namespace detail {

template <class Fn>
Result<void> EepromCore::piece(const char* verb, std::size_t offset, std::size_t length, Fn&& fn) {
    std::string detail;
    auto run = [&](const DriverOps& d) {
        driver::EepromOps& ops = *d.eeprom[index];
        const std::error_code ec = fn(ops);
        if (ec) detail = ops.failure_detail();
        return ec;
    };
    auto what = [&] {
        const std::string w = describe(verb, offset, length);
        return detail.empty() ? w : w + " (" + detail + ")";
    };
    return dev.call_as([this] { return desc.name; }, run, what);
}

Result<void> EepromCore::check_range(const char* verb, std::size_t offset, std::size_t length) const {
    if (offset <= desc.size && length <= desc.size - offset) return {};
    return make_error(EINVAL, desc.name + ": " + describe(verb, offset, length) + ": beyond the end of the " +
                                  std::to_string(desc.size) + "-byte memory");
}

namespace {

// Between pieces, with no guard held: the callback may remove devices or
// destroy the Context; only the caller's own stack is used afterwards.
Result<void> ask_progress(const EepromProgress& progress, const std::string& name, const char* verb, std::size_t done,
                          std::size_t total) {
    if (!progress || progress(done, total)) return {};
    return make_error(ECANCELED, name + ": " + verb + " cancelled after " + std::to_string(done) + " of " +
                                     std::to_string(total) + " bytes");
}

}  // namespace

EepromIo EepromCore::read(std::size_t offset, std::span<uint8_t> data, const EepromProgress& progress) {
    EepromIo io;
    if (auto r = check_range("reading", offset, data.size()); !r) return {0, r};
    const std::string name = desc.name;
    const std::size_t step = std::max<std::size_t>(desc.max_read, 1);
    if (auto r = ask_progress(progress, name, "read", 0, data.size()); !r) return {0, r};
    while (io.done < data.size()) {
        const std::size_t n = std::min(step, data.size() - io.done);
        const std::size_t at = offset + io.done;
        auto part = data.subspan(io.done, n);
        if (auto r = piece("reading", at, n, [&](driver::EepromOps& ops) { return ops.read(at, part); }); !r)
            return {io.done, r};
        io.done += n;
        if (io.done < data.size())
            if (auto r = ask_progress(progress, name, "read", io.done, data.size()); !r) return {io.done, r};
    }
    if (progress) progress(io.done, data.size());  // the end: nothing left to cancel
    return io;
}

EepromIo EepromCore::write(std::size_t offset, std::span<const uint8_t> data, const EepromProgress& progress) {
    EepromIo io;
    if (auto r = check_range("writing", offset, data.size()); !r) return {0, r};
    const std::string name = desc.name;
    const std::size_t page = std::max<std::size_t>(desc.page_size, 1);
    if (auto r = ask_progress(progress, name, "write", 0, data.size()); !r) return {0, r};
    while (io.done < data.size()) {
        const std::size_t at = offset + io.done;
        const std::size_t n = std::min(page - at % page, data.size() - io.done);
        auto part = data.subspan(io.done, n);
        if (auto r = piece("writing", at, n, [&](driver::EepromOps& ops) { return ops.write_page(at, part); }); !r)
            return {io.done, r};
        io.done += n;
        if (io.done < data.size())
            if (auto r = ask_progress(progress, name, "write", io.done, data.size()); !r) return {io.done, r};
    }
    if (progress) progress(io.done, data.size());
    return io;
}

}  // namespace detail

EepromInfo Eeprom::info() const {
    if (!core_) return {};
    const auto& d = core_->desc;
    return {d.name, d.type, d.size, d.page_size, d.addr};
}

EepromIo Eeprom::read(std::size_t offset, std::span<uint8_t> data, const EepromProgress& progress) {
    // A copy: the progress callback may destroy this handle.
    const auto core = core_;
    if (!core) return {0, make_error(ENODEV, "empty eeprom handle")};
    return core->read(offset, data, progress);
}

EepromIo Eeprom::write(std::size_t offset, std::span<const uint8_t> data, const EepromProgress& progress) {
    const auto core = core_;
    if (!core) return {0, make_error(ENODEV, "empty eeprom handle")};
    return core->write(offset, data, progress);
}

std::size_t Device::eeprom_count() const { return core_ ? core_->eeprom.size() : 0; }

Result<Eeprom> Device::eeprom(std::size_t index) const {
    if (!core_) return make_error(ENODEV, "empty device handle");
    if (index >= core_->eeprom.size())
        return make_error(EINVAL, core_->info().display_name() + " has no eeprom " + std::to_string(index));
    if (core_->state() != DeviceState::present) return core_->gone_error("opening eeprom");
    return detail::Access::make<Eeprom>(std::shared_ptr<detail::EepromCore>(core_, core_->eeprom[index].get()));
}

}  // namespace usbio
