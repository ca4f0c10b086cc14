#pragma once
// One partition's log: record batches appended with offsets assigned, read back as the
// bytes they were stored as. Implemented in memory and as segment files.

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/result.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <system_error>
#include <vector>

namespace kafkit::broker {

/// What the log remembers of each batch besides its bytes (for lookups without reading).
struct batch_summary {
    std::int64_t base_offset = 0;
    std::int64_t last_offset = 0;
    std::int64_t max_timestamp = -1;
    /// Offset of the first record holding max_timestamp, for ListOffsets MAX_TIMESTAMP
    /// (KIP-734): Kafka's LogValidator keeps the first (strict `>`); under LogAppendTime every
    /// record has the append time, so it is the first record. -1 when no record has a timestamp.
    std::int64_t offset_of_max_timestamp = -1;
    std::int32_t leader_epoch = -1;
    std::int64_t producer_id = -1;
    std::int16_t producer_epoch = -1;
    std::int32_t base_sequence = -1;
    std::int32_t record_count = 0;
    bool transactional = false;
    bool control = false;
};

/// A partition's log. Single-threaded (the broker's I/O thread).
class partition_log {
public:
    virtual ~partition_log() = default;

    /// Appends one v2 batch exactly as given: its base offset must already be
    /// log_end_offset() and its CRC valid (the produce path checks and patches both), and
    /// `summary` must describe it (summarize_batch). Errors: std::errc::invalid_argument when
    /// summary.base_offset is not log_end_offset(); I/O errors (the log keeps no part of it).
    virtual std::error_code append(protocol::bytes_view batch, const batch_summary& summary) = 0;

    /// Appends to `out` whole batches starting with the one that holds `offset`, up to
    /// `max_bytes`. At least one batch is copied even when it is larger than max_bytes and
    /// `at_least_one` is set (KIP-74), so a consumer can always progress. Returns the bytes
    /// copied; 0 at or past the end (or on a read error: `out` is then left as it was).
    /// An offset below log_start_offset() is the caller's to reject (OFFSET_OUT_OF_RANGE):
    /// the log serves what it still holds, whole batches, which may start below it.
    virtual std::size_t read(std::int64_t offset, std::size_t max_bytes, bool at_least_one,
                             std::vector<std::uint8_t>& out) const = 0;

    /// First offset still in the log (moved by DeleteRecords and retention).
    [[nodiscard]] virtual std::int64_t log_start_offset() const = 0;
    /// The offset the next record will get (the high watermark: one replica).
    [[nodiscard]] virtual std::int64_t log_end_offset() const = 0;
    /// Bytes the log takes.
    [[nodiscard]] virtual std::uint64_t size_bytes() const = 0;

    /// The batches in offset order, for timestamp lookups, epochs and producer state.
    [[nodiscard]] virtual const std::vector<batch_summary>& batches() const = 0;

    /// Moves the log start offset up to `offset` (DeleteRecords), dropping whole segments
    /// that fall below it (a segment partly below stays, its older batches still listed by
    /// batches()). Durable at once in a file log. An offset at or below the start is a no-op.
    /// Errors: std::errc::invalid_argument past log_end_offset(); I/O errors.
    virtual std::error_code delete_before(std::int64_t offset) = 0;

    /// Drops old data: segments whose newest record is older than `retention_ms` (-1: keep)
    /// and the oldest segments while the log is larger than `retention_bytes` (-1: keep).
    /// The active segment is kept. Returns whether anything was dropped.
    virtual bool apply_retention(std::int64_t now_ms, std::int64_t retention_ms,
                                 std::int64_t retention_bytes) = 0;

    /// Makes everything appended so far durable (fsync). In memory: nothing to do.
    virtual std::error_code flush() = 0;

    /// Removes the log and its files (topic deleted).
    virtual void destroy() = 0;
};

/// The summary of one v2 batch whose base offset is already assigned: its header fields and,
/// from its records (decompressed if need be), offset_of_max_timestamp. The produce path and
/// the file log's recovery both use it, so a recovered log reports what was appended.
/// Errors: those of read_record_batch_header and record_batch_reader (CRC not checked here).
protocol::result<batch_summary> summarize_batch(protocol::bytes_view batch);

/// An in-memory log; segments of `segment_bytes` so retention behaves as on disk.
std::unique_ptr<partition_log> make_memory_log(std::int64_t segment_bytes);

/// A log in segment files under `dir` (created if missing), recovered from what the
/// directory holds: a torn tail is truncated. Errors are thrown as std::system_error.
std::unique_ptr<partition_log> open_file_log(const std::filesystem::path& dir, std::int64_t segment_bytes);

} // namespace kafkit::broker
