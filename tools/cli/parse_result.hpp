#pragma once
// parse_result<T>: what the kcat-compatible argument parsers return, a value or the exact
// text kcat 1.7 writes to stderr before it exits with status 1 for the same input.

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kafkit::cli {

/// kcat's complaint about an argument: the bytes it prints to stderr, newline(s) included.
/// kcat exits with status 1 after printing it.
struct kcat_failure {
    std::string stderr_text;
};

/// The stderr text of kcat's KC_FATAL(message): "% ERROR: <message>\n". Some of kcat's
/// messages end in "\n" themselves, which then prints an empty line as well.
[[nodiscard]] inline kcat_failure kcat_fatal(std::string_view message) {
    std::string text = "% ERROR: ";
    text.append(message);
    text.push_back('\n');
    return kcat_failure{std::move(text)};
}

/// A parsed T, or the kcat_failure explaining why there is none. Never throws.
template <class T>
class [[nodiscard]] parse_result {
public:
    parse_result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    parse_result(kcat_failure f) : v_(std::move(f)) {}   // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    [[nodiscard]] T& value() & { assert(has_value()); return std::get<0>(v_); }
    [[nodiscard]] const T& value() const& { assert(has_value()); return std::get<0>(v_); }
    [[nodiscard]] T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// What kcat prints to stderr; empty when the result holds a value.
    [[nodiscard]] const std::string& error() const noexcept {
        static const std::string none;
        return has_value() ? none : std::get<1>(v_).stderr_text;
    }

private:
    std::variant<T, kcat_failure> v_;
};

} // namespace kafkit::cli
