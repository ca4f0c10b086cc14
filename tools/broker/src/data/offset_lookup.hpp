#pragma once
// ListOffsets lookups on a partition's log, as Kafka's UnifiedLog.fetchOffsetByTimestamp
// and Partition.fetchOffsetForTimestamp answer them: the special timestamps -2 (earliest),
// -1 (latest), -3 (max timestamp, KIP-734), -4 (earliest local), -5 (latest tiered), and a
// timestamp (the first record at or after it); plus v0's list of offsets.

#include <cstdint>
#include <optional>
#include <vector>

namespace kafkit::broker {

struct partition;

/// ListOffsets' special timestamps (ListOffsetsRequest constants).
inline constexpr std::int64_t latest_timestamp = -1;
inline constexpr std::int64_t earliest_timestamp = -2;
inline constexpr std::int64_t max_timestamp = -3;
inline constexpr std::int64_t earliest_local_timestamp = -4;
inline constexpr std::int64_t latest_tiered_timestamp = -5;

/// A found offset (Kafka's TimestampAndOffset): -1 timestamp for the special lookups.
struct timestamp_and_offset {
    std::int64_t timestamp = -1;
    std::int64_t offset = -1;
    std::int32_t leader_epoch = -1; ///< -1 when unknown
};

/// The answer to ListOffsets v1+ for `timestamp` on `p` (which this node leads); nullopt
/// when nothing matches (Kafka then answers offset -1, timestamp -1).
[[nodiscard]] std::optional<timestamp_and_offset> find_offset(const partition& p, std::int64_t timestamp);

/// ListOffsets v0 (Kafka's legacyFetchOffsetsBefore): up to `max_offsets` offsets, newest
/// first, among the log start (the one segment we report) and the log end. Kafka lists
/// segment base offsets; the logs here hide their segments, so this is the one-segment
/// answer, which is what clients asking for the earliest or latest offset get.
[[nodiscard]] std::vector<std::int64_t> legacy_offsets(const partition& p, std::int64_t timestamp,
                                                       std::int32_t max_offsets, std::int64_t now_ms);

} // namespace kafkit::broker
