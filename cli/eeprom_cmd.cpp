// SPDX-License-Identifier: Apache-2.0
// usbio eeprom read / write / verify: a serial EEPROM (at24) on an adapter's
// I2C bus, copied to or from a file, with a progress bar on a terminal.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "adapter.hpp"
#include "clients.hpp"
#include "commands.hpp"
#include "numbers.hpp"
#include "options.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "waiting.hpp"

namespace usbio::cli {

namespace {

enum class Op { read, write, verify };

const char* op_name(Op op) { return op == Op::read ? "read" : op == Op::write ? "write" : "verify"; }

// Far above the largest at24 part (256 KiB); keeps sums from overflowing.
constexpr std::size_t kMaxBytes = std::size_t{1} << 30;

constexpr std::string_view kAbout =
    "ADDRESS is the EEPROM's 7-bit I2C address (0x50 for most); TYPE is its part,\n"
    "as Linux's at24 driver names them (24c02, 24c32, 24c512, ...; an unknown one\n"
    "lists them). The command binds the at24 client itself (or uses the one the\n"
    "global --client bound there). Reads are cut to what the adapter can carry,\n"
    "writes are split at page boundaries, each page's write cycle awaited.\n\n"
    "Numbers: decimal, 0x hex, or with a K suffix (4K = 4096). --offset and\n"
    "--length must stay inside the part: a range past its end is refused before\n"
    "anything is read or written.\n\n"
    "A progress bar (bytes, rate, time left) is drawn on stderr when stderr is a\n"
    "terminal, unless --quiet. --json prints a summary object on stdout:\n"
    "operation, type, adapter, address, offset, bytes, done, seconds, file (null\n"
    "for stdin/stdout) and, for verify, mismatches and first_mismatch.\n\n"
    "An unplug (or Ctrl-C) cuts the transfer: the command fails (exit status 1),\n"
    "saying how many bytes were done and at which offset it stopped; --json's\n"
    "error object has them as \"done\" and \"offset\".";

struct Job {
    Op op = Op::read;
    std::string adapter;
    std::string type;
    uint16_t addr = 0;
    std::size_t offset = 0;
    std::optional<std::size_t> length;
    std::string file;  // empty: stdin or stdout
    bool quiet = false;
};

std::optional<Job> parse_job(App& app, Op op, const Args& args) {
    const bool reads = op == Op::read;
    const std::string name = std::string("eeprom ") + op_name(op);
    const std::string usage =
        std::string("-t TYPE [") + (reads ? "-o FILE" : "-i FILE") + "] [--offset N] [--length N] [-q] ADAPTER ADDRESS";
    std::string about;
    if (op == Op::read)
        about =
            "Reads the EEPROM (from --offset, --length bytes; by default to its end) to\n"
            "FILE, or to stdout as raw bytes. When the read is cut short, the bytes read\n"
            "so far are still written (to FILE or stdout) and the error says how many.\n"
            "With --json the summary takes stdout: -o FILE is needed.\n\n";
    else if (op == Op::write)
        about =
            "Writes FILE, or stdin, into the EEPROM at --offset (--length: only the first N\n"
            "bytes of the input). When the write is cut short, the error says how many\n"
            "bytes were written and committed (whole pages) before it.\n\n";
    else
        about =
            "Reads the EEPROM and compares it with FILE, or stdin (--length: the first N\n"
            "bytes), from --offset. Exit status 1 when they differ, naming how many bytes\n"
            "differ and the first differing offset.\n\n";
    about += kAbout;
    const CommandSpec spec{name, usage, about, 2, 2};
    po::options_description opts("Options");
    opts.add_options()("type,t", po::value<std::string>()->value_name("TYPE"), "the EEPROM part, e.g. 24c32")(
        reads ? "output,o" : "input,i", po::value<std::string>()->value_name("FILE"),
        reads ? "write the contents to FILE (default: stdout)" : "take the data from FILE (default: stdin)")(
        "offset", po::value<std::string>()->value_name("N"), "first byte of the EEPROM (default 0)")(
        "length", po::value<std::string>()->value_name("N"),
        reads ? "bytes to read (default: to the end)" : "bytes to take from the input (default: all of it)")(
        "quiet,q", po::bool_switch(), "no progress bar and no summary line");
    auto parsed = parse_command(app, spec, opts, args);
    if (!parsed) return std::nullopt;

    Job job;
    job.op = op;
    if (!parsed->given("type")) throw UsageError("-t TYPE is needed (e.g. -t 24c32)");
    job.type = parsed->vm["type"].as<std::string>();
    check_client_type(job.type, client_type_names("at24"), "unknown EEPROM type");
    job.adapter = parsed->positional[0];
    job.addr = parse_chip_address(parsed->positional[1], false);
    if (parsed->given("offset")) job.offset = parse_size(parsed->vm["offset"].as<std::string>(), kMaxBytes, "offset");
    if (parsed->given("length")) job.length = parse_size(parsed->vm["length"].as<std::string>(), kMaxBytes, "length");
    const char* file_key = reads ? "output" : "input";
    if (parsed->given(file_key)) job.file = parsed->vm[file_key].as<std::string>();
    if (parsed->given(file_key) && job.file.empty()) throw UsageError("empty file name");
    job.quiet = parsed->flag("quiet");
    if (reads && app.json && job.file.empty())
        throw UsageError("--json prints the summary on stdout: give -o FILE for the data");
    return job;
}

std::error_code errc(int value) { return std::error_code(value, std::generic_category()); }

std::vector<uint8_t> read_input(App& app, const std::string& file) {
    if (file.empty()) return {std::istreambuf_iterator<char>(app.in), std::istreambuf_iterator<char>()};
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Failure(file + ": cannot open: " + std::strerror(errno), errc(errno ? errno : ENOENT));
    std::vector<uint8_t> data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw Failure(file + ": read error", errc(EIO));
    return data;
}

void write_output(App& app, const std::string& file, std::span<const uint8_t> data) {
    const auto* bytes = reinterpret_cast<const char*>(data.data());
    const auto size = static_cast<std::streamsize>(data.size());
    if (file.empty()) {
        app.out.write(bytes, size).flush();
        if (!app.out) throw Failure("cannot write to stdout", errc(EIO));
        return;
    }
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw Failure(file + ": cannot create: " + std::strerror(errno), errc(errno ? errno : EIO));
    out.write(bytes, size).flush();
    if (!out) throw Failure(file + ": write error", errc(EIO));
}

// The at24 client at the address: bound now, or the one --client bound
// there already.
Eeprom open_eeprom(App& app, const Device& adapter, const Job& job) {
    auto bound = bind_client(app.ctx, adapter, job.type, job.addr);
    if (bound) return check(bound.value().eeprom(0));
    if (bound.code() == std::errc::device_or_resource_busy) {
        for (const auto& d : app.ctx.devices()) {
            if (d.info().parent != adapter.info().id || d.eeprom_count() == 0) continue;
            Eeprom e = check(d.eeprom(0));
            if (e.info().addr != job.addr) continue;
            if (e.info().type != job.type)
                throw Failure(e.info().name + " is bound there already: not a " + job.type, errc(EBUSY));
            return e;
        }
    }
    throw Failure(message_of(bound.error()), bound.error().code);
}

// The file, or the standard stream standing for it.
std::string file_text(const Job& job) {
    if (!job.file.empty()) return job.file;
    return job.op == Op::read ? "stdout" : "stdin";
}

// The failure of a cut-short read or write: what stopped it, how far it got
// and where; for a read, where the bytes read went.
[[noreturn]] void fail_io(App& app, const EepromInfo& info, const Job& job, const EepromIo& io, std::size_t total) {
    const Error& e = io.status.error();
    const std::size_t stop = job.offset + io.done;
    std::string text = info.name + ": ";
    if (e.code == std::errc::no_such_device)
        text += "unplugged (ENODEV)";
    else if (e.code == std::errc::operation_canceled)
        text += "interrupted";
    else
        text += std::string(op_name(job.op)) + " failed (" + message_of(e) + ")";
    text += " after " + std::to_string(io.done) + " of " + std::to_string(total) + " bytes, at offset " +
            hex4(static_cast<unsigned>(stop));
    if (job.op == Op::read)
        text += "; the " + std::to_string(io.done) + " bytes read " +
                (job.file.empty() ? "went to stdout" : "are in " + job.file);
    if (job.op == Op::write) text += " (whole pages written before it are committed)";
    app.where.offset = static_cast<long>(stop);
    app.where.done = static_cast<long>(io.done);
    throw Failure(text, e.code);
}

int run_eeprom(App& app, Op op, const Args& args) {
    auto parsed = parse_job(app, op, args);
    if (!parsed) return 0;
    const Job& job = *parsed;

    // The input first: a missing file is found before the chip is touched.
    std::vector<uint8_t> input;
    if (op != Op::read) {
        input = read_input(app, job.file);
        if (job.length && *job.length > input.size())
            throw Failure(file_text(job) + " has " + std::to_string(input.size()) + " bytes, fewer than --length " +
                          std::to_string(*job.length));
        if (job.length) input.resize(*job.length);
        if (input.empty())
            throw Failure("nothing to " + std::string(op_name(op)) + ": " + file_text(job) + " is empty");
    }

    Device adapter = find_adapter(app, job.adapter);
    app.where.address = job.addr;
    Eeprom eeprom = open_eeprom(app, adapter, job);
    const EepromInfo info = eeprom.info();
    if (job.offset >= info.size) {
        app.where.offset = static_cast<long>(job.offset);
        throw Failure(info.name + ": offset " + hex4(static_cast<unsigned>(job.offset)) + " is past its end (" +
                          std::to_string(info.size) + " bytes)",
                      errc(EINVAL));
    }
    const std::size_t total = op == Op::read ? job.length.value_or(info.size - job.offset) : input.size();
    if (total > info.size - job.offset) {
        app.where.offset = static_cast<long>(job.offset);
        throw Failure(info.name + ": " + std::to_string(total) + " bytes at offset " +
                          hex4(static_cast<unsigned>(job.offset)) + " pass its end (" + std::to_string(info.size) +
                          " bytes): nothing " + (op == Op::write ? "written" : "read"),
                      errc(EINVAL));
    }

    std::vector<uint8_t> chip(op == Op::write ? 0 : total);
    StopSignals stop;  // Ctrl-C ends the transfer between two pieces, counted
    ProgressBar bar(app.err, std::string(op_name(op)) + " " + info.type, total,
                    !job.quiet && ::isatty(STDERR_FILENO) == 1);
    const EepromProgress progress = [&bar, &stop](std::size_t done, std::size_t) {
        bar.update(done);
        return !stop.raised();
    };
    const auto start = Clock::now();
    const EepromIo io =
        op == Op::write ? eeprom.write(job.offset, input, progress) : eeprom.read(job.offset, chip, progress);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    bar.finish();
    if (op == Op::read) write_output(app, job.file, std::span<const uint8_t>(chip).first(io.done));
    if (!io.ok()) fail_io(app, info, job, io, total);

    std::size_t mismatches = 0;
    std::optional<std::size_t> first;
    if (op == Op::verify)
        for (std::size_t i = 0; i < total; ++i)
            if (chip[i] != input[i] && mismatches++ == 0) first = i;

    if (app.json) {
        Json j{
            {"operation", op_name(op)}, {"type", info.type},    {"adapter", adapter.info().id},
            {"address", job.addr},      {"offset", job.offset}, {"bytes", total},
            {"done", io.done},          {"seconds", seconds},   {"file", job.file.empty() ? Json() : Json(job.file)}};
        if (op == Op::verify) {
            j["mismatches"] = mismatches;
            j["first_mismatch"] = first ? Json(job.offset + *first) : Json();
        }
        app.out << json_text(j) << "\n";
    }
    if (first) {
        app.out.flush();
        app.err << "usbio: " << info.name << ": " << mismatches << " of " << total << " bytes differ from "
                << file_text(job) << ", the first at offset " << hex4(static_cast<unsigned>(job.offset + *first))
                << " (EEPROM " << hex2(chip[*first]) << ", " << file_text(job) << " " << hex2(input[*first]) << ")\n";
        return kExitFailure;
    }
    if (app.json || job.quiet || (op == Op::read && job.file.empty())) return 0;
    char took[32];
    std::snprintf(took, sizeof took, "%.2f s", seconds);
    const std::string range =
        std::to_string(total) + " bytes at offset " + hex4(static_cast<unsigned>(job.offset)) + " of " + info.name;
    if (op == Op::read) app.out << "read " << range << " to " << job.file << " in " << took << "\n";
    if (op == Op::write) app.out << "wrote " << range << " from " << file_text(job) << " in " << took << "\n";
    if (op == Op::verify) app.out << range << " match " << file_text(job) << "\n";
    return 0;
}

}  // namespace

int run_eeprom_read(App& app, const Args& args) { return run_eeprom(app, Op::read, args); }
int run_eeprom_write(App& app, const Args& args) { return run_eeprom(app, Op::write, args); }
int run_eeprom_verify(App& app, const Args& args) { return run_eeprom(app, Op::verify, args); }

}  // namespace usbio::cli
