// SPDX-License-Identifier: Apache-2.0
#include "common/client_io.hpp"

#include <cerrno>

namespace usbio::drivers {

std::error_code client_read(driver::ClientBus& bus, std::span<uint8_t> data) {
    I2cMsg m{bus.address(), I2cMsg::read, data};
    return bus.transfer(std::span<I2cMsg>(&m, 1));
}

std::error_code client_write(driver::ClientBus& bus, std::span<const uint8_t> data) {
    // I2cMsg carries a mutable span; a write only reads from it.
    I2cMsg m{bus.address(), 0, std::span<uint8_t>(const_cast<uint8_t*>(data.data()), data.size())};
    return bus.transfer(std::span<I2cMsg>(&m, 1));
}

std::error_code client_command_read(driver::ClientBus& bus, uint8_t command, std::span<uint8_t> data) {
    uint8_t cmd = command;
    I2cMsg m[2] = {{bus.address(), 0, std::span<uint8_t>(&cmd, 1)}, {bus.address(), I2cMsg::read, data}};
    if (bus.info().repeated_start) return bus.transfer(std::span<I2cMsg>(m, 2));
    if (auto ec = bus.transfer(std::span<I2cMsg>(m, 1))) return ec;
    return bus.transfer(std::span<I2cMsg>(m + 1, 1));
}

Error client_error(driver::ClientBus& bus, std::string_view chip, std::string_view what, std::error_code ec) {
    std::string detail = bus.failure_detail();
    if (detail.empty()) detail = ec.value() == ENXIO ? "no ACK (nothing answers there)" : ec.message();
    return Error{ec, std::string(chip) + " on " + bus.name() + ": " + std::string(what) + ": " + detail};
}

}  // namespace usbio::drivers
