// SPDX-License-Identifier: Apache-2.0
#include "run.hpp"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "eeprom.hpp"
#include "results.hpp"
#include "timing.hpp"
#include "traffic_counters.hpp"
#include "unplug.hpp"

namespace usbio::compare {

namespace {

using vbench::TrafficCounters;
using vbench::TrafficCounts;

constexpr std::chrono::milliseconds kPageWriteLimit{1000};
// Where the unplug lands: the fourth 512-byte chunk of the third 4 KiB read
// (the first two show the loop works), about 2 KiB into it.
constexpr unsigned kUnplugIteration = 2;
constexpr unsigned kUnplugChunk = 3;
constexpr unsigned kMaxIterations = 50;
// A call still running this long after the unplug is taken for a hang.
constexpr std::chrono::seconds kReturnLimit{10};
constexpr std::chrono::seconds kTriggerLimit{60};

// Calls per operation whose transfers are counted.
constexpr unsigned kCountedCalls = 20;
constexpr unsigned kCountedBigCalls = 3;

bool read_counts(const std::string& file, TrafficCounts& out) {
    std::string error;
    if (TrafficCounters::read(file, out, error)) return true;
    fail("transfer counters: " + error);
    return false;
}

// "per_op=X control=N out=N in=N calls=N": what `calls` operations cost.
std::string traffic_text(const TrafficCounts& d, unsigned calls) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "per_op=%.2f control=%llu out=%llu in=%llu calls=%u",
                  static_cast<double>(d.total()) / calls, static_cast<unsigned long long>(d.control),
                  static_cast<unsigned long long>(d.out), static_cast<unsigned long long>(d.in), calls);
    return buf;
}

// Runs `op` `calls` times between two readings of the device's counters.
std::string count_transfers(const std::string& file, unsigned calls, const std::function<int()>& op) {
    TrafficCounts before, after;
    if (!read_counts(file, before)) return "unknown";
    for (unsigned i = 0; i < calls; ++i)
        if (int e = op()) return "failed: " + errno_text(e);
    if (!read_counts(file, after)) return "unknown";
    return traffic_text(after - before, calls);
}

std::string ms_text(double ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", ms);
    return buf;
}

// An operation with its data checked: a wrong byte counts as a failure.
// Each operation calls start() first, so a failure's message is its own.
struct Checked {
    Stack& stack;
    std::string mismatch;

    void start() { mismatch.clear(); }
    std::function<std::string()> message() {
        return [this] { return mismatch.empty() ? stack.last_error() : mismatch; };
    }
    int check(std::span<const uint8_t> got, std::span<const uint8_t> want) {
        mismatch = compare_image(got, want);
        if (mismatch == "ok") {
            mismatch.clear();
            return 0;
        }
        return EBADMSG;
    }
};

int bench(Stack& s, const Args& a) {
    const std::string k = s.key();
    // With rounds, every result of this run goes on record under its round.
    const std::string prefix = a.has("round") ? "r" + a.get("round") + "." : "";
    auto put = [&](const std::string& key, const std::string& value) { result(k, prefix + key, value); };
    put("stack", s.describe());
    Budget budget;
    budget.time = std::chrono::milliseconds(a.number("budget-ms", 3000));
    budget.max_reps = a.number("max-reps", 5000);
    int rc = 0;

    // The jumper carries line 0's level to line 1 both ways.
    std::string jumper = "ok";
    for (int v : {1, 0}) {
        int got = -1;
        if (int e = s.gpio_set(v)) {
            jumper = "set " + std::to_string(v) + ": " + errno_text(e) + ": " + s.last_error();
        } else if (int e2 = s.gpio_get(got)) {
            jumper = "get: " + errno_text(e2) + ": " + s.last_error();
        } else if (got != v) {
            jumper = "set " + std::to_string(v) + ", read back " + std::to_string(got);
        }
        if (jumper != "ok") break;
    }
    put("gpio_jumper", jumper);
    if (jumper != "ok") rc = 1;

    std::vector<uint8_t> image(kEepromSize);
    std::vector<uint8_t> want;
    std::string written_traffic;  // the EEPROM write's transfers, when counted
    if (a.has("verify-seed")) {
        want = eeprom_image(a.number("verify-seed", 0));
        const int e = eeprom_read(s, 0, image);
        const std::string v = e ? errno_text(e) + ": " + s.last_error() : compare_image(image, want);
        put("eeprom_before", "seed " + a.get("verify-seed") + ": " + v);
        if (v != "ok") rc = 1;
    }
    if (a.has("write-seed")) {
        want = eeprom_image(a.number("write-seed", 0));
        std::size_t polls = 0;
        TrafficCounts before;
        const bool counting = a.has("counters") && read_counts(a.get("counters"), before);
        const auto t0 = Clock::now();
        const int e = eeprom_write(s, want, kPageWriteLimit, polls);
        const double ms = ms_between(t0, Clock::now());
        TrafficCounts after;
        if (counting && read_counts(a.get("counters"), after))
            written_traffic = traffic_text(after - before, 1) + " busy_polls=" + std::to_string(polls);
        if (e) {
            put("eeprom_4k_write", "failed: " + errno_text(e) + ": " + s.last_error());
            return 1;
        }
        put("eeprom_4k_write", "ms=" + ms_text(ms) + " pages=" + std::to_string(kEepromSize / kEepromPage) +
                                   " busy_polls=" + std::to_string(polls));
        const int e2 = eeprom_read(s, 0, image);
        const std::string v = e2 ? errno_text(e2) + ": " + s.last_error() : compare_image(image, want);
        put("eeprom_written", "seed " + a.get("write-seed") + ": " + v);
        if (v != "ok") rc = 1;
    }
    if (want.empty()) {
        fail(k + ": bench needs --write-seed or --verify-seed to know the EEPROM's contents");
        return 2;
    }

    const std::size_t chunk = eeprom_chunk(s);
    put("chunking", "4 KiB = " + std::to_string(kEepromSize / chunk) + " x (write 2 + repeated START + read " +
                        std::to_string(chunk) + ")");

    // Samples go to the file the summary is made from.
    std::ofstream samples;
    if (a.has("samples")) {
        samples.open(a.get("samples"), std::ios::app);
        if (!samples) {
            fail(k + ": cannot append to " + a.get("samples"));
            return 1;
        }
    }
    auto record = [&](const std::string& op, const Run& r) {
        put(op, format(summarize({r})));
        if (samples.is_open()) samples << op << ' ' << serialize(r) << '\n' << std::flush;
        if (r.failures) rc = 1;
    };

    Checked c{s, {}};
    int level = 0;
    const std::function<int()> gpio_set = [&] {
        c.start();
        return s.gpio_set(level ^= 1);
    };
    record("gpio_set", measure(budget, gpio_set, c.message()));

    int expect = 1;
    if (int e = s.gpio_set(expect)) {
        fail(k + ": setting GPIO before the get run: " + errno_text(e));
        return 1;
    }
    const std::function<int()> gpio_get = [&] {
        c.start();
        int v = -1;
        if (int e = s.gpio_get(v)) return e;
        const uint8_t g = static_cast<uint8_t>(v), w = static_cast<uint8_t>(expect);
        return c.check(std::span(&g, 1), std::span(&w, 1));
    };
    record("gpio_get", measure(budget, gpio_get, c.message()));

    std::vector<uint8_t> small(32);
    const uint8_t zero[2] = {0, 0};
    const std::function<int()> i2c_w2_r32 = [&] {
        c.start();
        if (int e = s.i2c_write_read(kEepromAddr, zero, small)) return e;
        return c.check(small, std::span(want).first(small.size()));
    };
    record("i2c_w2_r32", measure(budget, i2c_w2_r32, c.message()));

    const std::function<int()> eeprom_4k_read = [&] {
        c.start();
        if (int e = eeprom_read(s, 0, image)) return e;
        return c.check(image, want);
    };
    record("eeprom_4k_read", measure(budget, eeprom_4k_read, c.message()));

    if (a.has("counters")) {
        // Transfers per operation as the device counted them, outside the
        // timed runs (the GPIO get keeps reading the level set last).
        const std::string file = a.get("counters");
        const std::pair<const char*, const std::function<int()>*> ops[] = {{"gpio_set", &gpio_set},
                                                                           {"gpio_get", &gpio_get},
                                                                           {"i2c_w2_r32", &i2c_w2_r32},
                                                                           {"eeprom_4k_read", &eeprom_4k_read}};
        expect = level;
        for (const auto& [op, fn] : ops) {
            const unsigned calls = std::string(op) == "eeprom_4k_read" ? kCountedBigCalls : kCountedCalls;
            put("transfers." + std::string(op), count_transfers(file, calls, *fn));
        }
        if (!written_traffic.empty()) put("transfers.eeprom_4k_write", written_traffic);
    }
    return rc;
}

// Every run the sample file holds, per operation, summarised as one.
int summary(const std::string& k, const Args& a) {
    std::ifstream in(a.get("samples"));
    if (!in) {
        fail(k + ": summary: cannot read " + a.get("samples"));
        return 1;
    }
    std::vector<std::string> order;
    std::map<std::string, std::vector<Run>> runs;
    std::string line;
    while (std::getline(in, line)) {
        const auto space = line.find(' ');
        Run r;
        if (space == std::string::npos || !deserialize(line.substr(space + 1), r)) {
            fail(k + ": summary: bad line in " + a.get("samples"));
            return 1;
        }
        const std::string op = line.substr(0, space);
        if (!runs.count(op)) order.push_back(op);
        runs[op].push_back(std::move(r));
    }
    int rc = 0;
    for (const auto& op : order) {
        const Summary s = summarize(runs[op]);
        result(k, op, format(s) + " runs=" + std::to_string(runs[op].size()));
        if (s.failures) rc = 1;
    }
    return rc;
}

int verify(Stack& s, const Args& a) {
    const std::string k = s.key();
    std::vector<uint8_t> image(kEepromSize);
    const int e = eeprom_read(s, 0, image);
    const std::string v =
        e ? errno_text(e) + ": " + s.last_error() : compare_image(image, eeprom_image(a.number("seed", 0)));
    result(k, "eeprom_verify", "seed " + a.get("seed") + ": " + v);
    return v == "ok" ? 0 : 1;
}

struct ReadFailure {
    unsigned iteration = 0;
    unsigned chunk = 0;
    int rc = 0;
    std::string error;
    Clock::time_point returned;
    double call_ms = 0;  // how long the failing call ran
    int next_rc = 0;     // the call after it
    std::string next_error;
    double next_ms = 0;
    int gpio_rc = 0;  // and a GPIO call
    std::string gpio_error;
};

struct ReadLoop {
    std::optional<ReadFailure> failure;  // none: the loop ended without one
    unsigned chunks_ok = 0;
    unsigned mismatches = 0;
};

// Runs the loop; `trigger` is fulfilled when it reaches the unplug point,
// or when it ends without reaching it.
ReadLoop read_until_failure(Stack& s, const std::vector<uint8_t>& want, std::promise<void>& trigger,
                            std::atomic<bool>& reached, const std::atomic<bool>& stop) {
    struct Fulfil {
        std::promise<void>& p;
        bool done = false;
        void now() {
            if (!done) p.set_value();
            done = true;
        }
        ~Fulfil() { now(); }
    } fulfil{trigger};
    ReadLoop out;
    const std::size_t chunk = eeprom_chunk(s);
    const unsigned chunks = static_cast<unsigned>(kEepromSize / chunk);
    std::vector<uint8_t> buf(chunk);
    for (unsigned it = 0; it < kMaxIterations; ++it) {
        for (unsigned c = 0; c < chunks; ++c) {
            if (it == kUnplugIteration && c == kUnplugChunk) {
                reached = true;
                fulfil.now();
            }
            if (stop.load()) return out;
            const auto t0 = Clock::now();
            const int rc = eeprom_read(s, c * chunk, buf);
            const auto t1 = Clock::now();
            if (rc) {
                ReadFailure f;
                f.iteration = it;
                f.chunk = c;
                f.rc = rc;
                f.error = s.last_error();
                f.returned = t1;
                f.call_ms = ms_between(t0, t1);
                const auto t2 = Clock::now();
                f.next_rc = eeprom_read(s, c * chunk, buf);
                f.next_ms = ms_between(t2, Clock::now());
                f.next_error = f.next_rc ? s.last_error() : "";
                int level = 0;
                f.gpio_rc = s.gpio_get(level);
                f.gpio_error = f.gpio_rc ? s.last_error() : "";
                out.failure = std::move(f);
                return out;
            }
            if (compare_image(buf, std::span(want).subspan(c * chunk, chunk)) == "ok")
                ++out.chunks_ok;
            else
                ++out.mismatches;
        }
    }
    return out;
}

int unplug(Stack& s, const Args& a) {
    const std::string k = s.key();
    const UnplugPaths paths{a.get("control"), a.get("gadget-log"), a.get("udc")};
    if (paths.control.empty() || paths.gadget_log.empty() || paths.udc.empty()) {
        fail(k + ": unplug needs --control, --gadget-log and --udc");
        return 2;
    }
    const std::vector<uint8_t> want = eeprom_image(a.number("seed", 0));
    result(k, "unplug_plan",
           "4 KiB reads in a loop; the unplug starts as chunk " + std::to_string(kUnplugChunk + 1) + " of read " +
               std::to_string(kUnplugIteration + 1) + " begins");

    std::promise<void> trigger;
    std::future<void> triggered = trigger.get_future();
    std::atomic<bool> stop{false};
    std::atomic<bool> reached{false};
    std::promise<ReadLoop> done;
    std::future<ReadLoop> finished = done.get_future();
    std::thread reader([&] { done.set_value(read_until_failure(s, want, trigger, reached, stop)); });

    // From here on a thread may be stuck in the stack: every exit that
    // cannot join it leaves with _Exit.
    auto give_up = [&](const std::string& why) {
        fail(k + ": " + why);
        release_hold(paths);
        std::fflush(stdout);
        std::_Exit(3);
    };
    if (triggered.wait_for(kTriggerLimit) != std::future_status::ready)
        give_up("the read loop did not reach the unplug point within 60 s");
    if (!reached) {
        if (finished.wait_for(kReturnLimit) != std::future_status::ready)
            give_up("the read loop neither ran nor ended");
        reader.join();
        const ReadLoop early = finished.get();
        fail(k + ": the read loop ended before the unplug point" +
             (early.failure ? ": " + errno_text(early.failure->rc) + ": " + early.failure->error : ""));
        return 1;
    }

    UnplugTimes t;
    std::string error;
    if (hold_out(paths, t, error) || unbind(paths, t, error)) {
        stop = true;
        if (finished.wait_for(kReturnLimit) != std::future_status::ready) give_up(error + "; and the reader hangs");
        reader.join();
        release_hold(paths);
        fail(k + ": " + error);
        return 1;
    }
    if (finished.wait_for(kReturnLimit) != std::future_status::ready)
        give_up("the read was still running 10 s after the unplug (hang)");
    reader.join();
    release_hold(paths);
    const ReadLoop r = finished.get();

    result(k, "unplug_hold_to_held_ms", ms_text(ms_between(t.hold_sent, t.held_seen)));
    result(k, "unplug_unbind_write_ms", ms_text(ms_between(t.unbind_start, t.unbind_end)));
    result(k, "unplug_chunks_before",
           std::to_string(r.chunks_ok) + " ok, " + std::to_string(r.mismatches) + " mismatched");
    if (!r.failure) {
        result(k, "unplug_errno", "none");
        fail(k + ": no read failed after the unplug");
        return 1;
    }
    const ReadFailure& f = *r.failure;
    result(k, "unplug_at",
           "read " + std::to_string(f.iteration + 1) + ", chunk " + std::to_string(f.chunk + 1) + " (bytes " +
               std::to_string(f.chunk * eeprom_chunk(s)) + "+)");
    result(k, "unplug_errno", errno_text(f.rc));
    result(k, "unplug_errno_num", std::to_string(f.rc));
    result(k, "unplug_error", f.error);
    result(k, "unplug_return_ms", ms_text(ms_between(t.unbind_start, f.returned)));
    result(k, "unplug_call_ms", ms_text(f.call_ms));
    result(k, "unplug_next_call",
           errno_text(f.next_rc) + " after " + ms_text(f.next_ms) + " ms" +
               (f.next_error.empty() ? "" : ": " + f.next_error));
    result(k, "unplug_gpio_after", errno_text(f.gpio_rc) + (f.gpio_error.empty() ? "" : ": " + f.gpio_error));
    for (const auto& [key, value] : s.after_unplug()) result(k, "unplug_" + key, value);
    return r.mismatches ? 1 : 0;
}

}  // namespace

std::string Args::get(const std::string& key, const std::string& fallback) const {
    auto it = options.find(key);
    return it == options.end() ? fallback : it->second;
}

unsigned Args::number(const std::string& key, unsigned fallback) const {
    auto it = options.find(key);
    if (it == options.end()) return fallback;
    return static_cast<unsigned>(std::strtoul(it->second.c_str(), nullptr, 0));
}

int run_main(int argc, char** argv, const std::string& key, const std::set<std::string>& stack_options,
             const StackFactory& make) {
    static const std::set<std::string> common = {"write-seed", "verify-seed", "budget-ms", "max-reps",
                                                 "round",      "samples",     "seed",      "control",
                                                 "gadget-log", "udc",         "counters"};
    Args a;
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s bench|verify|unplug --option value ...\n", argv[0]);
        return 2;
    }
    a.mode = argv[1];
    for (int i = 2; i < argc; i += 2) {
        const std::string opt = argv[i];
        const std::string key = opt.rfind("--", 0) == 0 ? opt.substr(2) : "";
        if (key.empty() || i + 1 >= argc || (!common.count(key) && !stack_options.count(key))) {
            std::fprintf(stderr, "%s: bad option '%s'\n", argv[0], opt.c_str());
            return 2;
        }
        a.options[key] = argv[i + 1];
    }
    if (a.mode == "summary") return summary(key, a);
    if (a.mode != "bench" && a.mode != "verify" && a.mode != "unplug") {
        std::fprintf(stderr, "%s: unknown mode '%s'\n", argv[0], a.mode.c_str());
        return 2;
    }
    std::string error;
    std::unique_ptr<Stack> s = make(a, error);
    if (!s) {
        fail(std::string(argv[0]) + ": " + error);
        return 1;
    }
    if (a.mode == "bench") return bench(*s, a);
    if (a.mode == "verify") return verify(*s, a);
    return unplug(*s, a);
}

}  // namespace usbio::compare
