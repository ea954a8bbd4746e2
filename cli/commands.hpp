// SPDX-License-Identifier: Apache-2.0
// The subcommands. Each takes the words after its name and returns the exit
// status; failures are thrown (see app.hpp).
#pragma once

#include <string_view>

#include "app.hpp"

namespace usbio::cli {

using CommandFn = int (*)(App&, const Args&);

struct Command {
    std::string_view name;
    std::string_view summary;
    CommandFn run;
};

int run_list(App& app, const Args& args);
int run_watch(App& app, const Args& args);
int run_config(App& app, const Args& args);

int run_gpio_detect(App& app, const Args& args);
int run_gpio_info(App& app, const Args& args);
int run_gpio_get(App& app, const Args& args);
int run_gpio_set(App& app, const Args& args);
int run_gpio_mon(App& app, const Args& args);
int run_gpio_find(App& app, const Args& args);

int run_i2c_detect(App& app, const Args& args);
int run_i2c_get(App& app, const Args& args);
int run_i2c_set(App& app, const Args& args);
int run_i2c_dump(App& app, const Args& args);
int run_i2c_transfer(App& app, const Args& args);
int run_i2c_recover(App& app, const Args& args);

int run_eeprom_read(App& app, const Args& args);
int run_eeprom_write(App& app, const Args& args);
int run_eeprom_verify(App& app, const Args& args);

}  // namespace usbio::cli
