#pragma once
// What every record of `latency` carries at the start of its value: the time it was sent
// and its number in the run, so that the consumer in the same process can tell its
// end-to-end latency and notice a record that came twice or was not this run's.

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace kafkit::perf {

/// The bytes the stamp takes: the send time, then the number (each 8 bytes, host order:
/// the same process reads them).
inline constexpr std::int32_t latency_stamp_size = 16;

/// A record's send time (perf_stats::now_us(), the steady clock) and its number: 0 to
/// --messages - 1 for a measured record, negative for a warm-up.
struct latency_stamp {
    std::int64_t sent_us = 0;
    std::int64_t number = 0;
};

/// Writes `stamp` over the first latency_stamp_size bytes of `value` (which holds at least
/// that many).
inline void write_stamp(std::string& value, const latency_stamp& stamp) noexcept {
    std::memcpy(value.data(), &stamp.sent_us, sizeof stamp.sent_us);
    std::memcpy(value.data() + sizeof stamp.sent_us, &stamp.number, sizeof stamp.number);
}

/// The stamp at the start of `value`; nullopt when the value is too short to hold one.
[[nodiscard]] inline std::optional<latency_stamp> read_stamp(std::string_view value) noexcept {
    if (value.size() < static_cast<std::size_t>(latency_stamp_size)) return std::nullopt;
    latency_stamp stamp;
    std::memcpy(&stamp.sent_us, value.data(), sizeof stamp.sent_us);
    std::memcpy(&stamp.number, value.data() + sizeof stamp.sent_us, sizeof stamp.number);
    return stamp;
}

} // namespace kafkit::perf
