#pragma once
// result<T>: a value or an std::error_code, the surface of std::expected.

#include <cassert>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace kafkit::protocol {

/// Tag type that makes a result hold an error: `return unexpected(errc::truncated);`.
class unexpected {
public:
    explicit unexpected(std::error_code ec) noexcept : ec_(ec) {}
    template <class E>
        requires std::is_error_code_enum_v<E>
    explicit unexpected(E e) noexcept : ec_(make_error_code(e)) {}
    [[nodiscard]] std::error_code error() const noexcept { return ec_; }

private:
    std::error_code ec_;
};

/// Holds either a T or the error_code that explains why there is none. Never throws.
template <class T>
class [[nodiscard]] result {
public:
    result() : v_(T{}) {}
    result(T value) : v_(std::move(value)) {}           // NOLINT(google-explicit-constructor)
    result(unexpected e) : v_(e.error()) {}             // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    [[nodiscard]] T& value() & { assert(has_value()); return std::get<0>(v_); }
    [[nodiscard]] const T& value() const& { assert(has_value()); return std::get<0>(v_); }
    [[nodiscard]] T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// The error; an empty error_code when the result holds a value.
    [[nodiscard]] std::error_code error() const noexcept {
        return has_value() ? std::error_code{} : std::get<1>(v_);
    }

private:
    std::variant<T, std::error_code> v_;
};

/// A result without a value: success, or an error_code.
template <>
class [[nodiscard]] result<void> {
public:
    result() = default;
    result(unexpected e) : ec_(e.error()) {}            // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool has_value() const noexcept { return !ec_; }
    explicit operator bool() const noexcept { return has_value(); }
    [[nodiscard]] std::error_code error() const noexcept { return ec_; }

private:
    std::error_code ec_;
};

} // namespace kafkit::protocol
