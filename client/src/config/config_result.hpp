#pragma once
// config_result<T>: a value or the message of what is wrong with the configuration. The
// config code reports errors as these values; only the public entry points turn a message
// into kafkit::exception(errc::invalid_config, message).

#include <cassert>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kafkit::detail {

/// What is wrong, starting with the property as the user spelled it
/// ("linger.ms: -5 is below the minimum 0").
struct config_error {
    std::string message;
};

/// A T, or the config_error that explains why there is none.
template <class T> class [[nodiscard]] config_result {
public:
    config_result(T value) : v_(std::move(value)) {} // NOLINT(google-explicit-constructor)
    config_result(config_error error)
        : v_(std::move(error)) {} // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }
    [[nodiscard]] T& value() & {
        assert(has_value());
        return std::get<0>(v_);
    }
    [[nodiscard]] const T& value() const& {
        assert(has_value());
        return std::get<0>(v_);
    }
    [[nodiscard]] T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(v_));
    }
    /// The error; only meaningful when !has_value().
    [[nodiscard]] const config_error& error() const& {
        assert(!has_value());
        return std::get<1>(v_);
    }

private:
    std::variant<T, config_error> v_;
};

/// A result without a value: success, or what is wrong.
template <> class [[nodiscard]] config_result<void> {
public:
    config_result() = default;
    config_result(config_error error) : error_(std::move(error.message)), failed_(true) {} // NOLINT

    [[nodiscard]] bool has_value() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return has_value(); }
    [[nodiscard]] config_error error() const { return {error_}; }

private:
    std::string error_;
    bool failed_ = false;
};

/// The pieces one after another (chains of std::string's operator+ trip GCC 12's
/// -Wrestrict false positive).
[[nodiscard]] inline std::string concat(std::initializer_list<std::string_view> pieces) {
    std::string out;
    for (auto piece : pieces)
        out += piece;
    return out;
}

/// `<property>: <what>` as a config_error.
[[nodiscard]] inline config_error config_fail(std::string_view property, std::string_view what) {
    return {concat({property, ": ", what})};
}

} // namespace kafkit::detail
