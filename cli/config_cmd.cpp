// SPDX-License-Identifier: Apache-2.0
// usbio config: shows and changes what an adapter's chip lets you configure
// (Device::config / set_config), as the vendors' configuration tools do.
#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "adapter.hpp"
#include "commands.hpp"
#include "i2c_common.hpp"
#include "options.hpp"
#include "output.hpp"

namespace usbio::cli {

namespace {

struct Item {
    std::string name;
    std::optional<std::string> value;  // set when NAME=VALUE
};

std::string notes(const ConfigSetting& s) {
    if (!s.writable) return "read-only";
    if (s.permanent) return s.locked ? "one-time programmable, locked" : "one-time programmable, unlocked";
    return "";
}

Json setting_json(const ConfigSetting& s) {
    return {{"name", s.name},       {"value", s.value},       {"description", s.description},
            {"allowed", s.allowed}, {"writable", s.writable}, {"permanent", s.permanent},
            {"locked", s.locked}};
}

const ConfigSetting& find_setting(const std::vector<ConfigSetting>& all, const Device& dev, const std::string& name) {
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.name == name; });
    if (it != all.end()) return *it;
    // The library words the error (and names the settings there are).
    check(dev.config(name));
    throw Failure(dev.info().display_name() + ": no setting '" + name + "'");
}

}  // namespace

int run_config(App& app, const Args& args) {
    const CommandSpec spec{"config", "[--permanent] [-y] ADAPTER [NAME[=VALUE]]...",
                           "Shows or changes the configuration of an adapter's chip. Without NAME, lists\n"
                           "every setting with its value and notes. NAME prints one value; NAME=VALUE\n"
                           "sets it (I2C bit rate and timeouts, GPIO drive modes and special functions,\n"
                           "on a CP2112 also the USB identity). One-time programmable settings (CP2112:\n"
                           "usb.*) can be written once and never again: writing one needs --permanent\n"
                           "and a confirmation (-y answers it). Other settings last until the adapter\n"
                           "is reset or unplugged.",
                           1};
    po::options_description opts("Options");
    opts.add_options()("permanent", po::bool_switch(), "allow writing one-time programmable settings")(
        "yes,y", po::bool_switch(), "do not ask for confirmation");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return 0;

    std::vector<Item> items;
    for (auto it = parsed->positional.begin() + 1; it != parsed->positional.end(); ++it) {
        const auto eq = it->find('=');
        if (eq == 0) throw UsageError("'" + *it + "': a setting name comes before '='");
        if (eq == std::string::npos)
            items.push_back({*it, std::nullopt});
        else
            items.push_back({it->substr(0, eq), it->substr(eq + 1)});
    }

    Device dev = find_adapter(app, parsed->positional[0]);
    const std::vector<ConfigSetting> all = check(dev.config());

    std::vector<std::string> plan;
    for (const auto& item : items) {
        const ConfigSetting& s = find_setting(all, dev, item.name);
        if (item.value && s.permanent && parsed->flag("permanent"))
            plan.push_back("I will program " + s.name + " = '" + *item.value + "' on " + adapter_name(dev) + " (now '" +
                           s.value + "').");
    }
    if (!plan.empty()) {
        plan.push_back("This memory is one-time programmable: it cannot be changed again.");
        confirm(app, parsed->flag("yes"), "WARNING! This writes one-time programmable memory of the chip!", plan,
                false);
    }

    const Permanence permanence = parsed->flag("permanent") ? Permanence::permanent : Permanence::until_reset;
    for (const auto& item : items) {
        if (!item.value) continue;
        auto r = dev.set_config(item.name, *item.value, permanence);
        if (!r && r.code().value() == EPERM && find_setting(all, dev, item.name).permanent)
            throw Failure(message_of(r.error()) + " (--permanent)", r.code());
        check(std::move(r));
    }

    // Values are shown as the chip has them now, after any writes.
    const std::vector<ConfigSetting> now = items.empty() ? all : check(dev.config());
    std::vector<const ConfigSetting*> shown;
    for (const auto& s : now)
        if (items.empty() || std::any_of(items.begin(), items.end(), [&](const Item& i) { return i.name == s.name; }))
            shown.push_back(&s);

    if (app.json) {
        Json list = Json::array();
        for (const auto* s : shown) list.push_back(setting_json(*s));
        app.out << json_text({{"adapter", dev.info().id}, {"settings", list}}) << "\n";
        return 0;
    }
    if (items.empty()) {
        std::vector<std::vector<std::string>> rows;
        for (const auto* s : shown) rows.push_back({s->name, or_dash(s->value), notes(*s)});
        app.out << format_table(rows);
        return 0;
    }
    // NAME prints its value; NAME=VALUE prints nothing, as i2cset.
    for (const auto& item : items)
        if (!item.value) app.out << find_setting(now, dev, item.name).value << "\n";
    return 0;
}

}  // namespace usbio::cli
