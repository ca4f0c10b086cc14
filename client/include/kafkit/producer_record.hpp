#pragma once
// What the application hands to producer::send and what it gets back per record.

#include "kafkit/ids.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace kafkit {

/// Bytes the application owns. Text converts implicitly; binary data through
/// `as_bytes(std::span)`-style construction from pointer and size.
using bytes_ref = std::string_view;

/// One record header. Keys may repeat; their order is kept.
struct header {
    std::string_view key;
    std::optional<bytes_ref> value; ///< nullopt is a null value
};

/// A record to produce. Every field is a view: send() serializes the record into its
/// partition's batch before it returns, so the viewed bytes need only live during the call.
struct producer_record {
    std::string_view topic;
    /// The partition to write to; nullopt lets the partitioner choose.
    std::optional<partition_id> partition;
    std::optional<bytes_ref> key;   ///< nullopt is a null key
    std::optional<bytes_ref> value; ///< nullopt is a null value (a tombstone)
    std::span<const header> headers;
    /// CreateTime in milliseconds since the epoch; nullopt takes the time of send().
    std::optional<std::int64_t> timestamp_ms;
};

/// Where a record was written, as the broker acknowledged it.
struct record_metadata {
    /// The topic; the view stays valid as long as the producer that sent the record.
    std::string_view topic;
    partition_id partition{-1};
    /// The record's offset; -1 with acks=0 (the broker does not answer).
    record_offset offset{-1};
    /// The record's timestamp: its CreateTime, or the broker's LogAppendTime when the topic
    /// uses it.
    std::int64_t timestamp_ms = -1;
    std::int32_t serialized_key_size = -1;   ///< -1 for a null key
    std::int32_t serialized_value_size = -1; ///< -1 for a null value
};

} // namespace kafkit
