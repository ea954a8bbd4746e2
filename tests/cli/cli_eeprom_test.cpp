// SPDX-License-Identifier: Apache-2.0
// usbio eeprom read / write / verify on the simulated CP2112's 24C32 at
// 0x50, kept between commands with --sim-state: round trips through files
// and stdin/stdout, the --json summary, refused ranges and types, and a
// read and a write cut by an unplug.
#include <fstream>
#include <functional>
#include <sstream>

#include "cli_expect.hpp"
#include "json_value.hpp"
#include "temp_dir.hpp"

namespace usbio::test {
namespace {

constexpr std::size_t kSize = 4096;  // 24C32

// Bytes that differ from offset to offset and from the erased 0xff.
std::string pattern(std::size_t n, unsigned seed) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 7 + seed * 13 + (i >> 8)) & 0xff);
    return s;
}

class CliEeprom : public ::testing::Test {
protected:
    // `usbio --no-usb --sim cp2112 --sim-state STATE [globals...] eeprom rest...`
    Words cmd(const Words& rest, const Words& globals = {}) const {
        Words w = sim({"--sim-state", state});
        w.insert(w.end(), globals.begin(), globals.end());
        w.push_back("eeprom");
        w.insert(w.end(), rest.begin(), rest.end());
        return w;
    }
    std::string path(const std::string& name) const { return dir.file(name); }
    std::string put(const std::string& name, const std::string& bytes) const {
        std::ofstream(path(name), std::ios::binary) << bytes;
        return path(name);
    }
    std::string get(const std::string& name) const {
        std::ifstream in(path(name), std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    // The whole EEPROM, read to stdout.
    std::string chip() const {
        auto r = run_usbio(cmd({"read", "-t", "24c32", "0", "0x50"}));
        expect_success(r);
        return r.out;
    }

    TempDir dir{"usbio-eeprom"};
    std::string state = dir.file("state.txt");
};

TEST_F(CliEeprom, RoundTripThroughFiles) {
    const std::string image = pattern(kSize, 1);
    auto w = run_usbio(cmd({"write", "-t", "24c32", "-i", put("in.bin", image), "0", "0x50"}));
    expect_success(w);
    EXPECT_EQ(w.out.rfind("wrote 4096 bytes at offset 0x0000 of 24c32 on cp2112 [serial SIM0001] i2c 0x50 ", 0), 0u)
        << w.out;
    EXPECT_NE(w.out.find("i2c 0x50 from " + path("in.bin") + " in "), std::string::npos) << w.out;

    auto r = run_usbio(cmd({"read", "-t", "24c32", "-o", path("out.bin"), "0", "0x50"}));
    expect_success(r);
    EXPECT_EQ(r.out.rfind("read 4096 bytes at offset 0x0000 of 24c32 on cp2112 [serial SIM0001] i2c 0x50", 0), 0u)
        << r.out;
    EXPECT_EQ(get("out.bin"), image);

    auto v = run_usbio(cmd({"verify", "-t", "24c32", "-i", path("in.bin"), "0", "0x50"}));
    expect_success(v);
    EXPECT_NE(v.out.find("4096 bytes at offset 0x0000 of 24c32 on cp2112 [serial SIM0001] i2c 0x50"), std::string::npos)
        << v.out;
    EXPECT_NE(v.out.find(" match " + path("in.bin")), std::string::npos) << v.out;
}

TEST_F(CliEeprom, RoundTripThroughStdinAndStdout) {
    const std::string block = pattern(100, 2);
    auto w = run_usbio(cmd({"write", "-q", "-t", "24c32", "--offset", "0x100", "0", "0x50"}), block);
    expect_success(w);
    EXPECT_EQ(w.out, "");  // -q: no summary
    auto r = run_usbio(cmd({"read", "-t", "24c32", "--offset", "256", "--length", "100", "0", "0x50"}));
    expect_success(r);
    EXPECT_EQ(r.out, block);
    expect_success(run_usbio(cmd({"verify", "-q", "-t", "24c32", "--offset", "0x100", "0", "0x50"}), block));

    // The rest of the chip is as it was (erased: 0xff).
    const std::string all = chip();
    ASSERT_EQ(all.size(), kSize);
    EXPECT_EQ(all.substr(0, 0x100), std::string(0x100, '\xff'));
    EXPECT_EQ(all.substr(0x100, 100), block);
    EXPECT_EQ(all.substr(0x164), std::string(kSize - 0x164, '\xff'));
}

TEST_F(CliEeprom, LengthTakesTheStartOfTheInputAndKSuffixCounts) {
    const std::string image = pattern(2048, 3);
    expect_success(
        run_usbio(cmd({"write", "-q", "-t", "24c32", "--offset", "1K", "--length", "0x10", "0", "0x50"}), image));
    EXPECT_EQ(chip().substr(1024, 17), image.substr(0, 16) + "\xff");
}

TEST_F(CliEeprom, JsonSummaries) {
    const std::string image = pattern(64, 4);
    auto w = run_usbio(cmd({"write", "-t", "24c32", "--offset", "32", "0", "0x50"}, {"--json"}), image);
    expect_success(w);
    const JsonValue s = parse_json(w.out);
    EXPECT_EQ(s.at("operation").string, "write");
    EXPECT_EQ(s.at("type").string, "24c32");
    EXPECT_EQ(s.at("adapter").string, "sim0:1.0");
    EXPECT_EQ(s.at("address").number, 0x50);
    EXPECT_EQ(s.at("offset").number, 32);
    EXPECT_EQ(s.at("bytes").number, 64);
    EXPECT_EQ(s.at("done").number, 64);
    EXPECT_GE(s.at("seconds").number, 0);
    EXPECT_EQ(s.at("file").kind, JsonValue::Kind::null);

    auto r = run_usbio(cmd({"read", "--json", "-t", "24c32", "-o", path("o.bin"), "0", "0x50"}));
    expect_success(r);
    EXPECT_EQ(parse_json(r.out).at("file").string, path("o.bin"));
    EXPECT_EQ(parse_json(r.out).at("done").number, kSize);

    auto same = run_usbio(cmd({"verify", "-t", "24c32", "--offset", "32", "0", "0x50"}, {"--json"}), image);
    expect_success(same);
    EXPECT_EQ(parse_json(same.out).at("mismatches").number, 0);
    EXPECT_EQ(parse_json(same.out).at("first_mismatch").kind, JsonValue::Kind::null);
}

TEST_F(CliEeprom, VerifyNamesTheFirstDifference) {
    std::string image = pattern(64, 5);
    expect_success(run_usbio(cmd({"write", "-q", "-t", "24c32", "0", "0x50"}), image));
    std::string other = image;
    other[10] = static_cast<char>(~image[10]);
    other[40] = static_cast<char>(~image[40]);
    const std::string file = put("other.bin", other);

    expect_failure(run_usbio(cmd({"verify", "-t", "24c32", "-i", file, "0", "0x50"})), 1,
                   {"24c32 on cp2112 [serial SIM0001] i2c 0x50", "2 of 64 bytes differ from " + file,
                    "the first at offset 0x000a"});

    auto j = run_usbio(cmd({"verify", "-t", "24c32", "-i", file, "0", "0x50"}, {"--json"}));
    EXPECT_EQ(j.exit_code, 1) << describe(j);
    const JsonValue s = parse_json(j.out);
    EXPECT_EQ(s.at("mismatches").number, 2);
    EXPECT_EQ(s.at("first_mismatch").number, 10);
    EXPECT_NE(j.err.find("differ"), std::string::npos) << describe(j);
}

TEST_F(CliEeprom, UnknownTypeListsTheTypes) {
    expect_failure(run_usbio(cmd({"read", "-t", "24c99", "0", "0x50"})), 1,
                   {"unknown EEPROM type '24c99'", "24c32", "24c512"});
    // An expander is no EEPROM.
    expect_failure(run_usbio(cmd({"read", "-t", "pca9555", "0", "0x50"})), 1, {"unknown EEPROM type 'pca9555'"});
    expect_failure(run_usbio(cmd({"read", "0", "0x50"})), 1, {"-t TYPE"});
}

TEST_F(CliEeprom, RangesPastTheEndAreRefusedBeforeWriting) {
    const std::string before = chip();
    expect_failure(run_usbio(cmd({"write", "-t", "24c32", "0", "0x50"}), pattern(kSize + 1, 6)), 1,
                   {"24c32 on cp2112 [serial SIM0001] i2c 0x50", "4097 bytes at offset 0x0000 pass its end",
                    "4096 bytes", "nothing written"});
    expect_failure(run_usbio(cmd({"write", "-t", "24c32", "--offset", "4000", "0", "0x50"}), pattern(97, 6)), 1,
                   {"97 bytes at offset 0x0fa0 pass its end"});
    EXPECT_EQ(chip(), before);
    expect_failure(run_usbio(cmd({"read", "-t", "24c32", "--offset", "4K", "0", "0x50"})), 1,
                   {"offset 0x1000 is past its end"});
    expect_failure(run_usbio(cmd({"read", "-t", "24c32", "--length", "4097", "0", "0x50"})), 1,
                   {"4097 bytes at offset 0x0000 pass its end"});
    expect_failure(run_usbio(cmd({"write", "-t", "24c32", "--length", "10", "0", "0x50"}), "abc"), 1,
                   {"stdin has 3 bytes, fewer than --length 10"});
    expect_failure(run_usbio(cmd({"write", "-t", "24c32", "0", "0x50"}), ""), 1, {"nothing to write", "stdin"});
    expect_failure(run_usbio(cmd({"write", "-t", "24c32", "-i", path("missing"), "0", "0x50"})), 1,
                   {path("missing"), "cannot open"});
}

TEST_F(CliEeprom, JsonReadNeedsAnOutputFile) {
    auto r = run_usbio(cmd({"read", "-t", "24c32", "0", "0x50"}, {"--json"}));
    EXPECT_EQ(r.exit_code, 1) << describe(r);
    EXPECT_NE(r.err.find("give -o FILE"), std::string::npos) << describe(r);
    EXPECT_EQ(parse_json(r.out).at("error").at("code").string, "EINVAL");
}

TEST_F(CliEeprom, NoChipAtTheAddress) {
    expect_failure(run_usbio(cmd({"read", "-t", "24c32", "0", "0x51"})), 1, {"0x51"});
}

// The first N that cuts `words` after some but not all of `total` bytes:
// how many USB transfers the command needs before its first byte is not
// known here, so it is found by trying.
CliRun cut_run(const std::function<Words(const std::string&)>& words, const std::string& input, std::size_t total,
               std::size_t& done) {
    for (int n = 4; n < 400; n += 7) {
        CliRun r = run_usbio(words(std::to_string(n)), input);
        const std::string key = "after ";
        const auto at = r.err.find(key);
        if (r.exit_code != 1 || at == std::string::npos) continue;
        done = std::stoul(r.err.substr(at + key.size()));
        if (done > 0 && done < total) return r;
    }
    ADD_FAILURE() << "no --sim-unplug-after value cut the transfer halfway";
    return {};
}

TEST_F(CliEeprom, UnplugMidReadKeepsWhatWasRead) {
    const std::string image = pattern(kSize, 7);
    expect_success(run_usbio(cmd({"write", "-q", "-t", "24c32", "0", "0x50"}), image));
    const std::string out = path("partial.bin");
    std::size_t done = 0;
    auto r = cut_run(
        [&](const std::string& n) {
            return cmd({"read", "-t", "24c32", "-o", out, "0", "0x50"}, {"--sim-unplug-after", n});
        },
        "", kSize, done);
    expect_failure(r, 1,
                   {"24c32 on cp2112 [serial SIM0001] i2c 0x50",
                    ": unplugged (ENODEV) after " + std::to_string(done) + " of 4096 bytes",
                    "the " + std::to_string(done) + " bytes read are in " + out});
    EXPECT_EQ(get("partial.bin"), image.substr(0, done));

    // The same with --json: the error object says how far it got.
    const std::string n = "--sim-unplug-after";
    std::size_t json_done = 0;
    auto j = cut_run(
        [&](const std::string& count) {
            return cmd({"read", "-t", "24c32", "-o", out, "--offset", "0x100", "0", "0x50"}, {"--json", n, count});
        },
        "", kSize - 0x100, json_done);
    EXPECT_EQ(j.exit_code, 1);
    const JsonValue e = parse_json(j.out).at("error");
    EXPECT_EQ(e.at("code").string, "ENODEV");
    EXPECT_EQ(e.at("adapter").string, "sim0:1.0");
    EXPECT_EQ(e.at("address").number, 0x50);
    EXPECT_EQ(e.at("done").number, json_done);
    EXPECT_EQ(e.at("offset").number, 0x100 + json_done);
    EXPECT_EQ(get("partial.bin"), image.substr(0x100, json_done));
}

TEST_F(CliEeprom, UnplugMidWriteCountsCommittedPages) {
    const std::string image = pattern(kSize, 8);
    std::size_t done = 0;
    auto r = cut_run(
        [&](const std::string& n) {
            return cmd({"write", "-t", "24c32", "0", "0x50"}, {"--sim-unplug-after", n});
        },
        image, kSize, done);
    expect_failure(r, 1, {"24c32 on cp2112 [serial SIM0001] i2c 0x50", ": unplugged (ENODEV) after", "of 4096 bytes"});
    EXPECT_EQ(done % 32, 0u) << "whole 32-byte pages";
    // What the count says was written is on the chip.
    EXPECT_EQ(chip().substr(0, done), image.substr(0, done));
}

}  // namespace
}  // namespace usbio::test
