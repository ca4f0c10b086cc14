#include "c_number.hpp"

#include <limits>

namespace kafkit::cli {
namespace {

/// The value of a digit in bases up to 16, or 16 for anything else.
int digit_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 16;
}

/// What both conversions share: the sign, the magnitude (saturated) and how far they read.
struct scanned {
    bool negative = false;
    bool overflow = false;
    std::uint64_t magnitude = 0;
    std::size_t consumed = 0;
};

scanned scan(std::string_view text, int base) noexcept {
    scanned out;
    std::size_t i = 0;
    while (i < text.size() && c_isspace(text[i])) ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        out.negative = text[i] == '-';
        ++i;
    }
    // A "0x" prefix counts only with a hex digit after it; otherwise glibc reads the "0"
    // alone and stops at the 'x'.
    const bool hex_prefix = i + 2 < text.size() && text[i] == '0' &&
                            (text[i + 1] == 'x' || text[i + 1] == 'X') && digit_value(text[i + 2]) < 16;
    if (base == 0) base = hex_prefix ? 16 : (i < text.size() && text[i] == '0') ? 8 : 10;
    if (base == 16 && hex_prefix) i += 2;

    const std::size_t first_digit = i;
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    for (; i < text.size(); ++i) {
        const int d = digit_value(text[i]);
        if (d >= base) break;
        const auto b = static_cast<std::uint64_t>(base);
        if (out.magnitude > (max - static_cast<std::uint64_t>(d)) / b) out.overflow = true;
        else out.magnitude = out.magnitude * b + static_cast<std::uint64_t>(d);
    }
    out.consumed = i == first_digit ? 0 : i;
    return out;
}

} // namespace

c_number<std::uint64_t> c_strtoul(std::string_view text, int base) noexcept {
    const scanned s = scan(text, base);
    if (s.consumed == 0) return {};
    if (s.overflow) return {std::numeric_limits<std::uint64_t>::max(), s.consumed};
    return {s.negative ? 0 - s.magnitude : s.magnitude, s.consumed};
}

c_number<std::int64_t> c_strtoll(std::string_view text, int base) noexcept {
    const scanned s = scan(text, base);
    if (s.consumed == 0) return {};
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (s.negative) {
        if (s.overflow || s.magnitude > max + 1) return {std::numeric_limits<std::int64_t>::min(), s.consumed};
        // The magnitude is at most 2^63 here, whose negation is INT64_MIN.
        return {static_cast<std::int64_t>(0 - s.magnitude), s.consumed};
    }
    if (s.overflow || s.magnitude > max) return {std::numeric_limits<std::int64_t>::max(), s.consumed};
    return {static_cast<std::int64_t>(s.magnitude), s.consumed};
}

} // namespace kafkit::cli
