// SPDX-License-Identifier: Apache-2.0
// Chip configuration: the SMBus settings (report 0x06), pin drive modes,
// special functions and the clock divider (0x02), the version (0x05) and
// the one-time programmable USB customisation (0x20 lock byte, 0x21 USB
// configuration, 0x22..0x24 strings).
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>

#include "cp2112/chip.hpp"

namespace usbio::cp2112 {

namespace {

std::error_code err(int e) { return std::error_code(e, std::generic_category()); }

enum class Kind {
    part_number,
    version,
    bitrate,
    read_timeout,
    write_timeout,
    retry_limit,
    drive,     // param: line
    function,  // param: line
    clock_divider,
    vid,
    pid,
    power,
    power_mode,
    release,
    manufacturer,
    product,
    serial,
    lock,
};

struct Setting {
    Kind kind;
    unsigned param = 0;
};

// The order of config_specs(), read_config() and write_config().
std::vector<Setting> settings() {
    std::vector<Setting> s = {{Kind::part_number},  {Kind::version},       {Kind::bitrate},
                              {Kind::read_timeout}, {Kind::write_timeout}, {Kind::retry_limit}};
    for (unsigned line = 0; line < kNumGpios; ++line) s.push_back({Kind::drive, line});
    for (unsigned line : {0u, 1u, 7u}) s.push_back({Kind::function, line});
    for (Kind k : {Kind::clock_divider, Kind::vid, Kind::pid, Kind::power, Kind::power_mode, Kind::release,
                   Kind::manufacturer, Kind::product, Kind::serial, Kind::lock})
        s.push_back({k});
    return s;
}

// Names of the fields the lock byte guards, bit 0 first.
constexpr const char* kLockNames[8] = {"vid",     "pid",          "power_ma", "power_mode",
                                       "release", "manufacturer", "product",  "serial"};

constexpr const char* kPowerModes[3] = {"bus", "self", "self-regulated"};

driver::ConfigSpec spec_of(const Setting& s) {
    const std::string line = std::to_string(s.param);
    const std::string otp_note = "; one-time programmable, used from the next enumeration";
    switch (s.kind) {
    case Kind::part_number: return {"chip.part_number", "part number (report 0x05; 0x0C is a CP2112)", "", false};
    case Kind::version: return {"chip.version", "device version (report 0x05)", "", false};
    case Kind::bitrate:
        return {"i2c.bitrate", "I2C clock in Hz; setting it also sets both timeouts to suit the clock",
                "10000..400000"};
    case Kind::read_timeout: return {"i2c.read_timeout_ms", "chip-side read timeout in ms", "0 (none)..1000"};
    case Kind::write_timeout: return {"i2c.write_timeout_ms", "chip-side write timeout in ms", "0 (none)..1000"};
    case Kind::retry_limit:
        return {"i2c.retry_limit", "address NACK retries before a transfer fails", "0 (unlimited)..1000"};
    case Kind::drive: return {"gpio." + line + ".drive", "output drive of GPIO." + line, "push-pull, open-drain"};
    case Kind::function:
        return {"gpio." + line + ".function",
                std::string("what GPIO.") + line + " does; not a GPIO line while " + special_function_name(s.param),
                std::string("gpio, ") + special_function_name(s.param)};
    case Kind::clock_divider:
        return {"clock.divider", "clock-out frequency on GPIO.7: 48 MHz / (2 * divider), 0 = 48 MHz", "0..255"};
    case Kind::vid: return {"usb.vid", "USB vendor ID" + otp_note, "0x0000..0xFFFF", true, true};
    case Kind::pid: return {"usb.pid", "USB product ID" + otp_note, "0x0000..0xFFFF", true, true};
    case Kind::power: return {"usb.power_ma", "maximum bus current in mA" + otp_note, "0..500, even", true, true};
    case Kind::power_mode:
        return {"usb.power_mode", "bus-powered, self-powered, or self-powered with the regulator on" + otp_note,
                "bus, self, self-regulated", true, true};
    case Kind::release: return {"usb.release", "release number" + otp_note, "MAJOR.MINOR, each 0..255", true, true};
    case Kind::manufacturer:
        return {"usb.manufacturer", "manufacturer string" + otp_note, "1..30 printable ASCII characters", true, true};
    case Kind::product:
        return {"usb.product", "product string" + otp_note, "1..30 printable ASCII characters", true, true};
    case Kind::serial:
        return {"usb.serial", "serial number string" + otp_note, "1..30 printable ASCII characters", true, true};
    case Kind::lock:
        return {"usb.lock", "fields locked against programming; setting it locks the fields named, for good",
                "all, or a comma list of vid, pid, power_ma, power_mode, release, manufacturer, product, serial", true,
                true};
    }
    return {};
}

std::string hex(unsigned v, int digits) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%0*X", digits, v);
    return buf;
}

// Decimal, or hex with 0x; the whole text, within [lo, hi].
bool parse_uint(std::string_view text, unsigned long lo, unsigned long hi, unsigned long& out) {
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text.remove_prefix(2);
        base = 16;
    }
    if (text.empty()) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
    return ec == std::errc{} && end == text.data() + text.size() && out >= lo && out <= hi;
}

bool printable_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

// The lock bit of a permanent setting (0 for the others).
uint8_t lock_bit(Kind k) {
    switch (k) {
    case Kind::vid: return lock::vid;
    case Kind::pid: return lock::pid;
    case Kind::power: return lock::power;
    case Kind::power_mode: return lock::power_mode;
    case Kind::release: return lock::release;
    case Kind::manufacturer: return lock::manufacturer;
    case Kind::product: return lock::product;
    case Kind::serial: return lock::serial;
    default: return 0;
    }
}

uint8_t string_report_id(Kind k) {
    return k == Kind::manufacturer ? report::manufacturer_string
           : k == Kind::product    ? report::product_string
                                   : report::serial_string;
}

// Lock bits named by a usb.lock value: "all" or a comma list.
bool parse_lock_list(std::string_view text, uint8_t& bits) {
    bits = 0;
    if (text == "all") {
        bits = 0xFF;
        return true;
    }
    while (!text.empty()) {
        const auto comma = text.find(',');
        const std::string_view word = text.substr(0, comma);
        const auto* it = std::find(std::begin(kLockNames), std::end(kLockNames), word);
        if (it == std::end(kLockNames)) return false;
        bits = static_cast<uint8_t>(bits | 1u << (it - std::begin(kLockNames)));
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
        if (text.empty()) return false;
    }
    return bits != 0;
}

std::string lock_list(uint8_t lock_byte) {
    std::string s;
    for (unsigned i = 0; i < 8; ++i)
        if (!(lock_byte & (1u << i))) s += (s.empty() ? "" : ",") + std::string(kLockNames[i]);
    return s.empty() ? "none" : s;
}

struct Prom {
    uint8_t lock = 0;
    UsbConfig usb;
    std::string strings[3];  // manufacturer, product, serial
};

}  // namespace

std::vector<driver::ConfigSpec> config_specs() {
    std::vector<driver::ConfigSpec> out;
    for (const auto& s : settings()) out.push_back(spec_of(s));
    return out;
}

namespace {

// Reads every field of the PROM.
std::error_code read_prom(HidChannel& ch, Prom& p) {
    std::vector<uint8_t> r;
    if (auto ec = ch.get_feature(report::lock_byte, report::lock_byte_len, r)) return ec;
    if (auto ec = parse_lock_byte(r, p.lock)) return ec;
    if (auto ec = ch.get_feature(report::usb_config, report::usb_config_len, r)) return ec;
    if (auto ec = parse_usb_config(r, p.usb)) return ec;
    const uint8_t ids[3] = {report::manufacturer_string, report::product_string, report::serial_string};
    for (int i = 0; i < 3; ++i) {
        if (auto ec = ch.get_feature(ids[i], report::string_len, r)) return ec;
        if (auto ec = parse_string_report(r, ids[i], p.strings[i])) return ec;
    }
    return {};
}

std::string value_of(const Setting& s, const VersionInfo& v, const SmbusConfig& smbus, const GpioConfig& gpio,
                     const Prom& prom) {
    const auto bit = static_cast<uint8_t>(1u << s.param);
    switch (s.kind) {
    case Kind::part_number: return hex(v.part_number, 2);
    case Kind::version: return std::to_string(v.device_version);
    case Kind::bitrate: return std::to_string(smbus.clock_hz);
    case Kind::read_timeout: return std::to_string(smbus.read_timeout_ms);
    case Kind::write_timeout: return std::to_string(smbus.write_timeout_ms);
    case Kind::retry_limit: return std::to_string(smbus.retry_limit);
    case Kind::drive: return (gpio.push_pull & bit) ? "push-pull" : "open-drain";
    case Kind::function: return (gpio.special & special_bit_for(s.param)) ? special_function_name(s.param) : "gpio";
    case Kind::clock_divider: return std::to_string(gpio.clock_divider);
    case Kind::vid: return hex(prom.usb.vid, 4);
    case Kind::pid: return hex(prom.usb.pid, 4);
    case Kind::power: return std::to_string(prom.usb.power_2ma * 2u);
    case Kind::power_mode:
        return prom.usb.power_mode < 3 ? kPowerModes[prom.usb.power_mode] : hex(prom.usb.power_mode, 2);
    case Kind::release: return std::to_string(prom.usb.release_major) + "." + std::to_string(prom.usb.release_minor);
    case Kind::manufacturer: return prom.strings[0];
    case Kind::product: return prom.strings[1];
    case Kind::serial: return prom.strings[2];
    case Kind::lock: return lock_list(prom.lock);
    }
    return {};
}

// Parses a value for a PROM field into the USB configuration, the string or
// the lock bits it programs.
bool parse_prom_value(Kind k, std::string_view value, Prom& p, uint8_t& lock_bits) {
    unsigned long n = 0;
    switch (k) {
    case Kind::vid:
    case Kind::pid:
        if (!parse_uint(value, 0, 0xFFFF, n)) return false;
        (k == Kind::vid ? p.usb.vid : p.usb.pid) = static_cast<uint16_t>(n);
        return true;
    case Kind::power:
        if (!parse_uint(value, 0, 500, n) || n % 2 != 0) return false;
        p.usb.power_2ma = static_cast<uint8_t>(n / 2);
        return true;
    case Kind::power_mode: {
        const auto* it = std::find(std::begin(kPowerModes), std::end(kPowerModes), value);
        if (it == std::end(kPowerModes)) return false;
        p.usb.power_mode = static_cast<uint8_t>(it - std::begin(kPowerModes));
        return true;
    }
    case Kind::release: {
        const auto dot = value.find('.');
        unsigned long minor = 0;
        if (dot == std::string_view::npos || !parse_uint(value.substr(0, dot), 0, 255, n) ||
            !parse_uint(value.substr(dot + 1), 0, 255, minor))
            return false;
        p.usb.release_major = static_cast<uint8_t>(n);
        p.usb.release_minor = static_cast<uint8_t>(minor);
        return true;
    }
    case Kind::manufacturer:
    case Kind::product:
    case Kind::serial:
        if (value.empty() || value.size() > kMaxStringChars || !printable_ascii(value)) return false;
        p.strings[k == Kind::manufacturer ? 0 : k == Kind::product ? 1 : 2] = value;
        return true;
    case Kind::lock: return parse_lock_list(value, lock_bits);
    default: return false;
    }
}

// Programs one PROM field (or locks fields), then reads it back: the chip
// ignores a write to a locked field without a word, so the read-back is
// what tells.
std::error_code program(HidChannel& ch, Kind k, std::string_view value) {
    Prom want;
    uint8_t lock_bits = 0;
    if (!parse_prom_value(k, value, want, lock_bits)) return err(EINVAL);
    Prom cur;
    if (auto ec = read_prom(ch, cur)) return ec;
    const uint8_t bit = lock_bit(k);
    if (bit != 0 && !(cur.lock & bit)) return err(EACCES);

    std::vector<uint8_t> request;
    if (k == Kind::lock) {
        const auto next = static_cast<uint8_t>(cur.lock & ~lock_bits);
        if (next == cur.lock) return {};  // already locked
        request = build_lock_byte(next);
    } else if (k == Kind::manufacturer || k == Kind::product || k == Kind::serial) {
        request = build_string_report(string_report_id(k), value);
    } else {
        UsbConfig u = cur.usb;
        u.vid = k == Kind::vid ? want.usb.vid : u.vid;
        u.pid = k == Kind::pid ? want.usb.pid : u.pid;
        u.power_2ma = k == Kind::power ? want.usb.power_2ma : u.power_2ma;
        u.power_mode = k == Kind::power_mode ? want.usb.power_mode : u.power_mode;
        if (k == Kind::release) {
            u.release_major = want.usb.release_major;
            u.release_minor = want.usb.release_minor;
        }
        u.mask = bit;  // program this field only
        request = build_usb_config(u);
    }
    if (auto ec = ch.set_feature(request)) return ec;

    Prom got;
    if (auto ec = read_prom(ch, got)) return ec;
    const VersionInfo none;
    const SmbusConfig smbus;
    const GpioConfig gpio;
    const bool taken = k == Kind::lock
                           ? (got.lock & lock_bits) == 0
                           : value_of({k}, none, smbus, gpio, got) == value_of({k}, none, smbus, gpio, want);
    return taken ? std::error_code{} : err(EIO);
}

}  // namespace

std::error_code Chip::read_config(std::vector<driver::ConfigValue>& out) {
    SmbusConfig smbus;
    if (auto ec = read_smbus_config(smbus)) return ec;
    GpioConfig gpio;
    {
        driver::AbortableMutex::Lock lk(gpio_mu_);
        if (!lk) return err(ENODEV);
        if (auto ec = read_gpio_config(gpio)) return ec;
    }
    Prom prom;
    if (auto ec = read_prom(*ch_, prom)) return ec;
    out.clear();
    for (const auto& s : settings()) {
        const uint8_t bit = lock_bit(s.kind);
        const bool locked = s.kind == Kind::lock ? prom.lock == 0 : bit != 0 && !(prom.lock & bit);
        out.push_back({value_of(s, version_, smbus, gpio, prom), locked});
    }
    return {};
}

std::error_code Chip::write_config(std::size_t index, std::string_view value) {
    const auto all = settings();
    if (index >= all.size()) return err(EINVAL);
    const Setting s = all[index];
    unsigned long n = 0;
    switch (s.kind) {
    case Kind::part_number:
    case Kind::version: return err(EPERM);
    case Kind::bitrate:
        if (!parse_uint(value, kMinBitrate, kMaxBitrate, n)) return err(EINVAL);
        return set_bitrate(static_cast<uint32_t>(n));
    case Kind::read_timeout:
    case Kind::write_timeout:
    case Kind::retry_limit: {
        if (!parse_uint(value, 0, s.kind == Kind::retry_limit ? 1000 : kMaxChipTimeoutMs, n)) return err(EINVAL);
        driver::AbortableMutex::Lock lk(i2c_mu_);
        if (!lk) return err(ENODEV);
        SmbusConfig cfg;
        if (auto ec = read_smbus_config(cfg)) return ec;
        const auto v = static_cast<uint16_t>(n);
        (s.kind == Kind::read_timeout    ? cfg.read_timeout_ms
         : s.kind == Kind::write_timeout ? cfg.write_timeout_ms
                                         : cfg.retry_limit) = v;
        return write_smbus_config(cfg);
    }
    case Kind::drive:
    case Kind::function:
    case Kind::clock_divider: {
        const auto bit = static_cast<uint8_t>(1u << s.param);
        const uint8_t special = special_bit_for(s.param);
        if (s.kind == Kind::drive && value != "push-pull" && value != "open-drain") return err(EINVAL);
        if (s.kind == Kind::function && value != "gpio" && value != special_function_name(s.param)) return err(EINVAL);
        if (s.kind == Kind::clock_divider && !parse_uint(value, 0, 255, n)) return err(EINVAL);
        driver::AbortableMutex::Lock lk(gpio_mu_);
        if (!lk) return err(ENODEV);
        GpioConfig cfg;
        if (auto ec = read_gpio_config(cfg)) return ec;
        if (s.kind == Kind::drive) {
            cfg.push_pull = value == "push-pull" ? (cfg.push_pull | bit) : (cfg.push_pull & ~bit);
        } else if (s.kind == Kind::clock_divider) {
            cfg.clock_divider = static_cast<uint8_t>(n);
        } else if (value == "gpio") {
            // Back to a plain line, an input until someone requests it, so
            // the pin drives nothing nobody asked for.
            if (!(cfg.special & special)) return {};
            cfg.special &= static_cast<uint8_t>(~special);
            cfg.direction &= static_cast<uint8_t>(~bit);
        } else {
            // The LED toggle and the clock drive the pin: it is an output.
            cfg.special |= special;
            cfg.direction |= bit;
        }
        return write_gpio_config(cfg);
    }
    default: break;
    }
    driver::AbortableMutex::Lock lk(prom_mu_);
    if (!lk) return err(ENODEV);
    return program(*ch_, s.kind, value);
}

}  // namespace usbio::cp2112
