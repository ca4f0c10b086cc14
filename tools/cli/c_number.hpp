#pragma once
// strtoul/strtoll as glibc runs them in the C locale, over a string_view. kcat reads every
// number of its command line with these (and never checks for trailing text), so being a
// drop-in replacement means reading numbers exactly as they do, quirks included.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kafkit::cli {

/// A number read from the front of a text.
template <class Int>
struct c_number {
    Int value = 0;
    /// Characters read, leading white space and sign included; 0 when there were no digits
    /// (strtoul's endptr == nptr).
    std::size_t consumed = 0;
};

/// strtoul(text, &end, base) for base 0 (0x.. hex, 0.. octal, else decimal), 8, 10 or 16:
/// skips C white space, takes a sign ('-' negates modulo 2^64), a "0x" prefix for bases 0
/// and 16 only when a hex digit follows it, and saturates at UINT64_MAX on overflow.
[[nodiscard]] c_number<std::uint64_t> c_strtoul(std::string_view text, int base) noexcept;

/// strtoll(text, &end, base): as c_strtoul, saturating at INT64_MIN / INT64_MAX.
[[nodiscard]] c_number<std::int64_t> c_strtoll(std::string_view text, int base) noexcept;

/// isspace() in the C locale: ' ', '\t', '\n', '\v', '\f', '\r'.
[[nodiscard]] constexpr bool c_isspace(char c) noexcept {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

} // namespace kafkit::cli
