// SPDX-License-Identifier: Apache-2.0
#include "clients.hpp"

#include <algorithm>

#include "adapter.hpp"
#include "numbers.hpp"
#include "output.hpp"

namespace usbio::cli {

ClientSpec parse_client_spec(std::string_view text) {
    const auto malformed = [&] {
        return UsageError("--client '" + std::string(text) + "': expected ADAPTER:TYPE@ADDR (e.g. 0:pca9555@0x20)");
    };
    const std::size_t at = text.rfind('@');
    if (at == std::string_view::npos) throw malformed();
    const std::size_t colon = text.rfind(':', at);
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == at) throw malformed();
    ClientSpec spec;
    spec.text = std::string(text);
    spec.adapter = std::string(text.substr(0, colon));
    spec.type = std::string(text.substr(colon + 1, at - colon - 1));
    check_client_type(spec.type, client_type_names(), "--client '" + spec.text + "': unknown chip type");
    spec.addr = parse_chip_address(text.substr(at + 1), false);
    return spec;
}

std::vector<std::string> client_type_names(std::string_view driver) {
    std::vector<std::string> names;
    for (const auto& t : client_types())
        if (driver.empty() || t.driver == driver) names.push_back(t.name);
    return names;
}

void check_client_type(std::string_view type, const std::vector<std::string>& names, std::string_view what) {
    if (std::find(names.begin(), names.end(), type) != names.end()) return;
    throw UsageError(std::string(what) + " '" + std::string(type) + "' (types: " + join(names, ", ") + ")");
}

void bind_clients(App& app) {
    const Where saved = app.where;  // the command names its own adapter
    for (const auto& spec : app.setup.clients) {
        app.where.address = spec.addr;
        Device adapter;
        try {
            adapter = find_adapter(app, spec.adapter);
        } catch (const Failure& f) {
            throw Failure("--client " + spec.text + ": " + f.what(), f.code);
        }
        auto bound = bind_client(app.ctx, adapter, spec.type, spec.addr);
        if (!bound) throw Failure("--client " + spec.text + ": " + message_of(bound.error()), bound.error().code);
    }
    app.where = saved;
}

std::string parent_name(Context& ctx, const DeviceInfo& info) {
    if (info.parent.empty()) return {};
    for (const auto& d : ctx.devices())
        if (d.info().id == info.parent) return d.info().display_name();
    return info.parent;
}

}  // namespace usbio::cli
