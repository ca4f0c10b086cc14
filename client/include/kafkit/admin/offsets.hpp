#pragma once
// Partition offsets as the admin client looks them up (ListOffsets) and records deleted
// before an offset (DeleteRecords).

#include "kafkit/admin/call_options.hpp"
#include "kafkit/ids.hpp"

#include <cstdint>
#include <optional>

namespace kafkit::admin {

/// What list_offsets asks for a partition.
struct offset_spec {
    enum class kind { earliest, latest, max_timestamp, timestamp, earliest_local, latest_tiered };
    kind what = kind::latest;
    std::int64_t timestamp_ms = 0; ///< for kind::timestamp: the first offset at or after it

    static offset_spec earliest() { return {kind::earliest, 0}; }
    static offset_spec latest() { return {kind::latest, 0}; }
    /// The record with the largest timestamp (ListOffsets v7+).
    static offset_spec max_timestamp() { return {kind::max_timestamp, 0}; }
    static offset_spec for_timestamp(std::int64_t ms) { return {kind::timestamp, ms}; }
    /// KIP-405's local log start and tiered log end (ListOffsets v8 and v9).
    static offset_spec earliest_local() { return {kind::earliest_local, 0}; }
    static offset_spec latest_tiered() { return {kind::latest_tiered, 0}; }
};

struct list_offsets_options : call_options {
    /// read_committed answers with the last stable offset instead of the high watermark.
    bool read_committed = false;
};

struct listed_offset {
    record_offset offset{-1}; ///< -1: no record at or after the timestamp
    std::int64_t timestamp_ms = -1;
    std::optional<std::int32_t> leader_epoch;
};

struct delete_records_options : call_options {};

/// A partition's log start after a deletion.
struct deleted_records {
    record_offset low_watermark{-1};
};

} // namespace kafkit::admin
