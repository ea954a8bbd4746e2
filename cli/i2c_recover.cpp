// SPDX-License-Identifier: Apache-2.0
// usbio i2c recover: clock a stuck bus free (I2cBus::recover).
#include <ostream>

#include "adapter.hpp"
#include "commands.hpp"
#include "options.hpp"
#include "output.hpp"

namespace usbio::cli {

int run_i2c_recover(App& app, const Args& args) {
    const CommandSpec spec{"i2c recover", "ADAPTER",
                           "Frees an I2C bus that a target holds: with SDA released, nine clocks (a\n"
                           "target stuck in the middle of a byte it sends finishes it and sees a NACK),\n"
                           "then SDA is checked and a STOP leaves the bus idle. Fails (exit status 1)\n"
                           "when SDA is still held low afterwards, and on adapters whose I2C engine is\n"
                           "not bit-level (the CP2112), which cannot clock the bus by themselves.\n"
                           "Example: usbio i2c recover 0",
                           1, 1};
    po::options_description opts("Options");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;
    Device dev = find_adapter(app, parsed->positional[0]);
    I2cBus bus = open_i2c_bus(dev);
    check(bus.recover());
    if (app.json)
        app.out << json_text({{"adapter", dev.info().id}, {"recovered", true}}) << "\n";
    else
        app.out << bus.info().name << ": bus idle\n";
    return 0;
}

}  // namespace usbio::cli
