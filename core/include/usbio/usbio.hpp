// SPDX-License-Identifier: Apache-2.0
// Umbrella header of the public API.
#pragma once

#include "usbio/clients.hpp"
#include "usbio/config.hpp"
#include "usbio/context.hpp"
#include "usbio/device.hpp"
#include "usbio/eeprom.hpp"
#include "usbio/error.hpp"
#include "usbio/events.hpp"
#include "usbio/gpio.hpp"
#include "usbio/i2c.hpp"
#include "usbio/sim.hpp"
#include "usbio/usb.hpp"
#include "usbio/version.hpp"
