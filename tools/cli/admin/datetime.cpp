#include "datetime.hpp"

#include <cctype>
#include <cstdint>
#include <ctime>

namespace kafkit::admin_cli {
namespace {

/// Reads exactly `digits` decimal digits.
class reader {
public:
    explicit reader(std::string_view text) : text_(text) {}

    bool number(int digits, int& out) {
        if (text_.size() < static_cast<std::size_t>(digits)) return false;
        out = 0;
        for (int i = 0; i < digits; ++i) {
            const char c = text_[static_cast<std::size_t>(i)];
            if (!std::isdigit(static_cast<unsigned char>(c))) return false;
            out = out * 10 + (c - '0');
        }
        text_.remove_prefix(static_cast<std::size_t>(digits));
        return true;
    }
    bool literal(char c) {
        if (text_.empty() || text_.front() != c) return false;
        text_.remove_prefix(1);
        return true;
    }
    [[nodiscard]] bool done() const { return text_.empty(); }
    [[nodiscard]] char peek() const { return text_.empty() ? '\0' : text_.front(); }

private:
    std::string_view text_;
};

/// Milliseconds of ".fff" (1 to 9 digits; beyond milliseconds dropped).
bool fraction(reader& in, int& ms) {
    ms = 0;
    int digits = 0;
    for (int d = 0; std::isdigit(static_cast<unsigned char>(in.peek())); ++digits) {
        in.number(1, d);
        if (digits < 3) ms = ms * 10 + d;
    }
    if (digits == 0 || digits > 9) return false;
    for (int i = digits; i < 3; ++i) ms *= 10;
    return true;
}

/// The zone's offset east of UTC in seconds; `local` when there is none.
bool zone(reader& in, long& offset_s, bool& local) {
    local = in.done();
    offset_s = 0;
    if (local || in.literal('Z')) return in.done();
    const int sign = in.literal('+') ? 1 : (in.literal('-') ? -1 : 0);
    int hh = 0;
    int mm = 0;
    if (sign == 0 || !in.number(2, hh)) return false;
    if (!in.done()) {
        in.literal(':');
        if (!in.number(2, mm)) return false;
    }
    if (hh > 23 || mm > 59) return false;
    offset_s = sign * (hh * 3600L + mm * 60L);
    return in.done();
}

} // namespace

std::optional<std::int64_t> parse_datetime_ms(std::string_view text) {
    reader in(text);
    std::tm tm{};
    int ms = 0;
    if (!in.number(4, tm.tm_year) || !in.literal('-') || !in.number(2, tm.tm_mon) || !in.literal('-') ||
        !in.number(2, tm.tm_mday))
        return std::nullopt;
    if (in.literal('T') || in.literal(' ')) {
        if (!in.number(2, tm.tm_hour) || !in.literal(':') || !in.number(2, tm.tm_min)) return std::nullopt;
        if (in.literal(':')) {
            if (!in.number(2, tm.tm_sec)) return std::nullopt;
            if (in.literal('.') && !fraction(in, ms)) return std::nullopt;
        }
    }
    long offset_s = 0;
    bool local = false;
    if (!zone(in, offset_s, local)) return std::nullopt;
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
        tm.tm_min > 59 || tm.tm_sec > 60)
        return std::nullopt;
    const int day = tm.tm_mday;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    const std::time_t seconds = local ? std::mktime(&tm) : ::timegm(&tm);
    if (seconds == static_cast<std::time_t>(-1) || tm.tm_mday != day) return std::nullopt; // 31 April, ...
    return (static_cast<std::int64_t>(seconds) - offset_s) * 1000 + ms;
}

std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
    auto upper = [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); };
    std::size_t i = 0;
    if (text.empty() || upper(text[i++]) != 'P') return std::nullopt;
    // Reads a whole number; false when no digit is there.
    auto number = [&](std::int64_t& out) {
        const std::size_t start = i;
        out = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            if (out > (INT64_MAX - 9) / 10) return false;
            out = out * 10 + (text[i++] - '0');
        }
        return i > start;
    };
    constexpr std::int64_t second = 1000, minute = 60 * second, hour = 60 * minute, day = 24 * hour;
    std::int64_t total = 0;
    bool any = false;
    std::int64_t n = 0;
    const std::size_t before_days = i;
    if (number(n)) {
        if (i >= text.size() || upper(text[i]) != 'D') return std::nullopt;
        ++i;
        total += n * day;
        any = true;
    } else {
        i = before_days;
    }
    if (i < text.size()) {
        if (upper(text[i++]) != 'T') return std::nullopt;
        bool any_time = false;
        for (const char unit : {'H', 'M'}) {
            const std::size_t at = i;
            if (!number(n)) break;
            if (i < text.size() && upper(text[i]) == unit) {
                ++i;
                total += n * (unit == 'H' ? hour : minute);
                any_time = true;
            } else {
                i = at; // maybe a later unit
            }
        }
        const std::size_t at = i;
        if (number(n)) {
            std::int64_t millis = 0;
            if (i < text.size() && text[i] == '.') {
                ++i;
                int digits = 0;
                while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
                    if (digits++ < 3) millis = millis * 10 + (text[i] - '0');
                    ++i;
                }
                if (digits == 0) return std::nullopt;
                for (; digits < 3; ++digits) millis *= 10;
            }
            if (i >= text.size() || upper(text[i]) != 'S') return std::nullopt;
            ++i;
            total += n * second + millis;
            any_time = true;
        } else {
            i = at;
        }
        if (!any_time) return std::nullopt;
        any = true;
    }
    if (!any || i != text.size()) return std::nullopt;
    return total;
}

} // namespace kafkit::admin_cli
