#pragma once
// ISO 8601 date-times as --to-datetime and `offsets --time` take them, and durations as
// --by-duration takes them.

#include <cstdint>
#include <optional>
#include <string_view>

namespace kafkit::admin_cli {

/// Milliseconds since the epoch of "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "...:SS" or
/// "...:SS.fff" (a space may stand for the 'T'), followed by "Z", "+HH:MM", "-HH:MM",
/// "+HHMM" or nothing. Without a zone the time is local, as kafka-consumer-groups.sh's
/// --to-datetime reads it. nullopt when `text` is not one of these forms or names no
/// valid date.
[[nodiscard]] std::optional<std::int64_t> parse_datetime_ms(std::string_view text);

/// Milliseconds of an ISO 8601 duration as Java's Duration.parse reads it (what
/// kafka-consumer-groups.sh's --by-duration takes): "P", then optionally "nD", then
/// optionally "T" followed by at least one of "nH", "nM", "n[.fff]S", in that order; case
/// does not matter; n are non-negative whole numbers. nullopt for anything else.
[[nodiscard]] std::optional<std::int64_t> parse_duration_ms(std::string_view text);

} // namespace kafkit::admin_cli
