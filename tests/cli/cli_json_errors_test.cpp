// SPDX-License-Identifier: Apache-2.0
// With --json a failure prints {"error":{...}} on stdout, and still its one
// line on stderr. The adapter is named by its id ("sim0:1.0") in errors as in
// every other --json output.
#include <gtest/gtest.h>

#include "cli_expect.hpp"
#include "json_value.hpp"

namespace usbio::test {
namespace {

Words sim_json(const Words& rest) {
    Words w{"--no-usb", "--sim", "cp2112", "--json"};
    w.insert(w.end(), rest.begin(), rest.end());
    return w;
}

// The error object of a failed run; its message is the stderr line.
JsonValue error_of(const CliRun& r, int status) {
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, status) << describe(r);
    const auto lines = lines_of(r.out);
    if (lines.empty()) {
        ADD_FAILURE() << "no JSON on stdout\n" << describe(r);
        return {};
    }
    JsonValue doc = parse_json(lines.back());
    const JsonValue& e = doc.at("error");
    EXPECT_EQ(r.err, "usbio: " + e.at("message").string + "\n") << describe(r);
    return e;
}

TEST(CliJsonErrors, I2cReadFailureNamesAdapterAndAddress) {
    auto r = run_usbio(sim_json({"i2c", "get", "-y", "0", "0x30", "0x00"}));
    EXPECT_EQ(lines_of(r.out).size(), 1u) << describe(r);
    const JsonValue e = error_of(r, 2);
    EXPECT_EQ(e.at("code").string, "ENXIO");
    EXPECT_EQ(e.at("errno").number, 6);
    EXPECT_NE(e.at("message").string.find("0x30"), std::string::npos);
    EXPECT_EQ(e.at("adapter").string, "sim0:1.0");
    EXPECT_EQ(e.at("address").number, 0x30);
    EXPECT_FALSE(e.has("line"));
}

TEST(CliJsonErrors, TransferToOneAddressNamesIt) {
    const JsonValue e = error_of(run_usbio(sim_json({"i2c", "transfer", "-y", "0", "w1@0x30", "0x00", "r1"})), 1);
    EXPECT_EQ(e.at("code").string, "ENXIO");
    EXPECT_EQ(e.at("adapter").string, "sim0:1.0");
    EXPECT_EQ(e.at("address").number, 0x30);
}

TEST(CliJsonErrors, GpioLineOutOfRangeNamesTheLine) {
    const JsonValue e = error_of(run_usbio(sim_json({"gpio", "get", "0", "8"})), 1);
    EXPECT_EQ(e.at("code").string, "EINVAL");
    EXPECT_EQ(e.at("errno").number, 22);
    EXPECT_EQ(e.at("adapter").string, "sim0:1.0");
    EXPECT_EQ(e.at("line").number, 8);
    EXPECT_FALSE(e.has("address"));
}

TEST(CliJsonErrors, UnplugDuringMonNamesAdapterAndLine) {
    auto r = run_usbio(sim_json({"gpio", "mon", "--sim-toggle", "5", "--sim-unplug-after-events", "2", "0", "5"}));
    const JsonValue e = error_of(r, 1);
    EXPECT_EQ(e.at("code").string, "ENODEV");
    EXPECT_EQ(e.at("errno").number, 19);
    EXPECT_EQ(e.at("adapter").string, "sim0:1.0");
    EXPECT_EQ(e.at("line").number, 5);
    // The events before the unplug stay JSON, one object per line.
    const auto lines = lines_of(r.out);
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) EXPECT_FALSE(parse_json(lines[i]).has("error")) << lines[i];
}

TEST(CliJsonErrors, UnknownAdapterIsEnodevWithoutAdapter) {
    const JsonValue e = error_of(run_usbio(sim_json({"i2c", "detect", "-y", "5"})), 1);
    EXPECT_EQ(e.at("code").string, "ENODEV");
    EXPECT_FALSE(e.has("adapter"));
}

TEST(CliJsonErrors, BadCommandLineIsEinval) {
    for (const Words& w :
         {Words{"--json", "frob"}, Words{"--json", "--frob", "list"}, sim_json({"i2c", "get", "-y", "0"})}) {
        const JsonValue e = error_of(run_usbio(w), 1);
        EXPECT_EQ(e.at("code").string, "EINVAL");
        EXPECT_NE(e.at("message").string.find("--help"), std::string::npos);
    }
}

TEST(CliJsonErrors, DecliningIsEcanceledWithStatusZero) {
    auto r = run_usbio(sim_json({"i2c", "get", "0", "0x48"}), "n\n");
    EXPECT_EQ(r.exit_code, 0) << describe(r);
    const JsonValue doc = parse_json(r.out);
    EXPECT_EQ(doc.at("error").at("code").string, "ECANCELED");
    EXPECT_EQ(doc.at("error").at("address").number, 0x48);
    EXPECT_NE(r.err.find("usbio: Aborting on user request.\n"), std::string::npos) << describe(r);
}

TEST(CliJsonErrors, NoJsonNoObject) {
    auto r = run_usbio(sim({"i2c", "get", "-y", "0", "0x30"}));
    expect_failure(r, 2, {"0x30"});
}

// One spelling of the adapter everywhere: its id, as `usbio list` gives it.
TEST(CliJsonErrors, AdapterIsTheIdInEveryOutput) {
    const JsonValue list = parse_json(run_usbio(sim_json({"list"})).out);
    const std::string id = list.at("adapters").array.at(0).at("id").string;
    ASSERT_EQ(id, "sim0:1.0");
    EXPECT_EQ(parse_json(run_usbio(sim_json({"gpio", "detect"})).out).at("chips").array.at(0).at("adapter").string, id);
    EXPECT_EQ(parse_json(run_usbio(sim_json({"gpio", "info", "0"})).out).at("chips").array.at(0).at("adapter").string,
              id);
    EXPECT_EQ(parse_json(run_usbio(sim_json({"i2c", "get", "-y", "0", "0x48"})).out).at("adapter").string, id);
    EXPECT_EQ(parse_json(run_usbio(sim_json({"i2c", "detect", "-y", "0"})).out).at("adapter").string, id);
    EXPECT_EQ(error_of(run_usbio(sim_json({"gpio", "set", "0", "9=1"})), 1).at("adapter").string, id);
}

}  // namespace
}  // namespace usbio::test
