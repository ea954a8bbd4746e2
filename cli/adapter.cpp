// SPDX-License-Identifier: Apache-2.0
#include "adapter.hpp"

#include <optional>
#include <string>
#include <vector>

#include "numbers.hpp"

namespace usbio::cli {

std::string message_of(const Error& e) {
    std::string text = e.message.empty() ? e.code.message() : e.message;
    // A gone device is named by its errno too, as scripts grep for it.
    if (e.code == std::errc::no_such_device && text.find("ENODEV") == std::string::npos) text += " (ENODEV)";
    return text;
}

namespace {

// The adapter whose GPIO chip or I2C bus has this name ("cp2112-SIM0001", as
// gpio detect prints it, or "cp2112-SIM0001 i2c", as i2c detect -l does).
std::optional<Device> by_function_name(Context& ctx, std::string_view name) {
    for (const auto& d : ctx.devices()) {
        for (std::size_t c = 0; c < d.gpio_chip_count(); ++c)
            if (auto chip = d.gpio_chip(c); chip.ok() && chip.value().info().name == name) return d;
        for (std::size_t b = 0; b < d.i2c_bus_count(); ++b)
            if (auto bus = d.i2c_bus(b); bus.ok() && bus.value().info().name == name) return d;
    }
    return std::nullopt;
}

Device resolve(App& app, std::string_view selector) {
    Context& ctx = app.context();
    // Plain decimal indexes and names are the library's business. Other
    // spellings of a number ("0x1", "01": i2c-tools reads a bus number with
    // strtoul base 0) name an index too, unless an adapter goes by that name.
    const bool digits = selector.find_first_not_of("0123456789") == std::string_view::npos;
    const bool plain_decimal = digits && (selector.size() == 1 || selector[0] != '0');
    const auto index = parse_long(selector);
    const bool numeric = (index && *index >= 0) || digits;
    if (plain_decimal) return check(ctx.find(selector));
    if (!numeric) {
        auto found = ctx.find(selector);
        if (found.ok()) return std::move(found).value();
        if (auto d = by_function_name(ctx, selector)) return *d;
        throw Failure("no adapter matches '" + std::string(selector) +
                          "' (tried index, serial number, USB path, id, GPIO chip name and I2C bus name)",
                      found.error().code);
    }
    const std::error_code enodev(ENODEV, std::generic_category());

    std::vector<Device> devs = ctx.devices();
    for (const auto& d : devs) {
        const DeviceInfo& i = d.info();
        if (i.serial == selector || i.path == selector || i.id == selector) return d;
    }
    if (!index)  // "08"
        throw Failure("no adapter matches '" + std::string(selector) +
                          "' (tried serial number, USB path and id; a leading 0 makes an index octal)",
                      enodev);
    if (static_cast<unsigned long>(*index) >= devs.size())
        throw Failure("no adapter with index " + std::string(selector) + " (" + std::to_string(devs.size()) +
                          " adapter(s) present)",
                      enodev);
    return devs[static_cast<std::size_t>(*index)];
}

}  // namespace

Device find_adapter(App& app, std::string_view selector) {
    if (selector.empty()) throw UsageError("empty adapter name");
    Device dev = resolve(app, selector);
    app.where.adapter = dev.info().id;
    return dev;
}

GpioChip open_gpio_chip(const Device& dev) {
    if (dev.gpio_chip_count() == 0)
        throw Failure(dev.info().display_name() + ": adapter has no GPIO lines",
                      std::error_code(ENOTSUP, std::generic_category()));
    return check(dev.gpio_chip(0));
}

I2cBus open_i2c_bus(const Device& dev) {
    if (dev.i2c_bus_count() == 0)
        throw Failure(dev.info().display_name() + ": adapter has no I2C bus",
                      std::error_code(ENOTSUP, std::generic_category()));
    return check(dev.i2c_bus(0));
}

}  // namespace usbio::cli
