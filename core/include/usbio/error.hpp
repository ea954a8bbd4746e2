// SPDX-License-Identifier: Apache-2.0
// Errors of the public API.
//
// Every failure carries an errno-compatible std::error_code (generic category,
// so `ec == std::errc::no_such_device` works) plus a message in words a user
// understands: which adapter, which address, which line. The message is built
// only on the failure path, so a successful call never allocates for it.
#pragma once

#include <cerrno>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

#include "usbio/export.hpp"

namespace usbio {

struct Error {
    std::error_code code;
    std::string message;  // full sentence, e.g. "cp2112 [SIM0001]: i2c 0x50: no ACK"
};

inline Error make_error(int errno_value, std::string message) {
    return Error{std::error_code(errno_value, std::generic_category()), std::move(message)};
}

// Thrown by Result<T>::value() on failure; what() is the user-facing message.
class USBIO_EXPORT Exception : public std::system_error {
public:
    explicit Exception(const Error& e) : std::system_error(e.code, e.message) {}
};

// Holds a value or an Error. Kept deliberately small: ok(), value(), error().
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}

    bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    // Throws usbio::Exception when this holds an error.
    T& value() & {
        if (!ok()) throw Exception(std::get<1>(v_));
        return std::get<0>(v_);
    }
    T&& value() && {
        if (!ok()) throw Exception(std::get<1>(v_));
        return std::get<0>(std::move(v_));
    }
    T* operator->() { return &value(); }
    T& operator*() & { return value(); }

    const Error& error() const { return std::get<1>(v_); }
    std::error_code code() const noexcept { return ok() ? std::error_code{} : std::get<1>(v_).code; }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error e) : err_(std::move(e)), failed_(true) {}

    bool ok() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return ok(); }
    void value() const {
        if (failed_) throw Exception(err_);
    }
    const Error& error() const { return err_; }
    std::error_code code() const noexcept { return failed_ ? err_.code : std::error_code{}; }

private:
    Error err_;
    bool failed_ = false;
};

// Short human name of an errno value as this project uses it ("no ACK" for
// ENXIO, "device gone" for ENODEV, ...). Used when composing messages.
USBIO_EXPORT const char* describe_errno(int errno_value) noexcept;

}  // namespace usbio
