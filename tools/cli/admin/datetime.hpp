#pragma once
// ISO 8601 date-times as --to-datetime and `offsets --time` take them.

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

} // namespace kafkit::admin_cli
