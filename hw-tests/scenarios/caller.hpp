// SPDX-License-Identifier: Apache-2.0
// A thread that calls one operation on a shared handle over and over until
// the adapter goes away, and records how that ended: the time of its first
// ENODEV, whether a call after it also failed with ENODEV, and every other
// error it met on the way (which a scenario counts as a failure).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace usbio::hw {

using Clock = std::chrono::steady_clock;

struct CallerOutcome {
    std::string name;
    long calls = 0;     // started
    long ok_calls = 0;  // returned success
    std::optional<Clock::time_point> enodev_at;
    std::string enodev_message;
    bool later_call_enodev = false;  // the call after the first ENODEV failed with ENODEV too
    long other_errors = 0;
    std::vector<std::string> other_error_texts;  // the first few, "EIO: message"
    bool finished = false;                       // the thread has ended by itself
};

class Caller {
public:
    // Returns the call's error (empty on success) and may fill `message`.
    using Op = std::function<std::error_code(std::string& message)>;

    // Starts the thread at once.
    Caller(std::string name, Op op);
    // Stops and joins it; a thread still inside a call after `kJoinLimit`
    // is left behind (detached) rather than hanging the program.
    ~Caller();
    Caller(const Caller&) = delete;
    Caller& operator=(const Caller&) = delete;

    const std::string& name() const;
    pid_t tid() const;
    // Waits until `n` calls have succeeded.
    bool wait_ok_calls(long n, std::chrono::milliseconds timeout);
    // Waits until the thread is asleep inside a call (a blocking wait).
    bool wait_blocked_in_call(std::chrono::milliseconds timeout);
    // Waits until the thread has ended (after its ENODEV).
    bool wait_finished(Clock::time_point deadline);
    CallerOutcome outcome() const;

    static constexpr std::chrono::seconds kJoinLimit{10};

private:
    struct State;

    std::shared_ptr<State> st_;
    std::thread th_;
};

// "ENODEV", "EIO", ... for the errno values the API uses.
std::string errno_name(int e);

}  // namespace usbio::hw
