#include "adapter.hpp"

namespace usbio::cli {

std::string message_of(const Error& e) {
    if (!e.message.empty()) return e.message;
    return e.code.message();
}

Device find_adapter(App& app, std::string_view selector) {
    if (selector.empty()) throw UsageError("empty adapter name");
    return check(app.context().find(selector));
}

GpioChip open_gpio_chip(const Device& dev) {
    if (dev.gpio_chip_count() == 0) throw Failure(dev.info().display_name() + ": adapter has no GPIO lines");
    return check(dev.gpio_chip(0));
}

I2cBus open_i2c_bus(const Device& dev) {
    if (dev.i2c_bus_count() == 0) throw Failure(dev.info().display_name() + ": adapter has no I2C bus");
    return check(dev.i2c_bus(0));
}

}  // namespace usbio::cli
