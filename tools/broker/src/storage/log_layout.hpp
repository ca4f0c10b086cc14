#pragma once
// The bookkeeping both partition logs share: which segments exist, where each batch sits in
// its segment, the batch summaries, the start and end offsets, and the rules for rolling,
// reading, DeleteRecords and retention. The memory log and the file log differ only in where
// the bytes live, so keeping these rules in one place makes them behave identically.

#include "storage/partition_log.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace kafkit::broker {

/// One segment as the layout sees it: a base offset and its batches' positions.
struct segment_layout {
    /// Offset of the segment's first batch (or, while empty, of the next one): its file name.
    std::int64_t base_offset = 0;
    /// Byte position of each batch in the segment, parallel to the log's summaries.
    std::vector<std::uint32_t> positions;
    /// Index in log_layout::batches() of the segment's first batch.
    std::size_t first_batch = 0;
    /// Bytes of the segment (the sum of its batches).
    std::uint64_t bytes = 0;
    /// Largest batch max_timestamp in the segment (-1: none), for time retention.
    std::int64_t max_timestamp = -1;
};

/// A contiguous run of bytes of one segment to copy for a read.
struct read_run {
    std::size_t segment = 0;     ///< index into log_layout::segments()
    std::uint32_t position = 0;  ///< first byte in the segment
    std::size_t size = 0;        ///< bytes
};

/// Segments, batch positions and summaries of one partition log. Holds no bytes.
/// Single-threaded, like the logs that own it.
class log_layout {
public:
    /// Segments roll when a batch would take the active one past `segment_bytes` (Kafka's
    /// log.segment.bytes, an int: clamped to [14, 2^31-1] as Kafka bounds it).
    explicit log_layout(std::int64_t segment_bytes);

    /// Whether a batch of `batch_size` bytes ending at `last_offset` must go to a new
    /// segment: there is none, or the active one holds data and would pass segment_bytes, or
    /// the offset would not fit the index's 32-bit relative offsets (Kafka's
    /// LogSegment.shouldRoll).
    [[nodiscard]] bool needs_roll(std::size_t batch_size, std::int64_t last_offset) const noexcept;
    /// Adds an empty active segment starting at `base_offset`, which becomes the end offset
    /// (it is the end offset already, except for the first segment a recovery finds).
    void add_segment(std::int64_t base_offset);
    /// Records a batch of `size` bytes appended at the end of the active segment, and moves
    /// the end offset past it.
    void add_batch(const batch_summary& summary, std::size_t size);

    /// The runs to copy for partition_log::read (same arguments): whole batches from the one
    /// holding `offset`, at most `max_bytes` unless `at_least_one` lets a first batch pass it.
    /// Consecutive batches of a segment form one run.
    [[nodiscard]] std::vector<read_run> plan_read(std::int64_t offset, std::size_t max_bytes,
                                                  bool at_least_one) const;

    /// How many front segments DeleteRecords up to `offset` lets go: those whose every
    /// offset is below it, and the active one too once `offset` reaches the end (nothing of
    /// it is readable any more; the next append starts a new segment there).
    [[nodiscard]] std::size_t segments_below(std::int64_t offset) const noexcept;
    /// How many front segments retention drops (never the active one): while the oldest's
    /// newest record is more than `retention_ms` old, or the log minus it still holds at
    /// least `retention_bytes` (Kafka's retention.ms / retention.bytes rules; -1 disables).
    [[nodiscard]] std::size_t segments_expired(std::int64_t now_ms, std::int64_t retention_ms,
                                               std::int64_t retention_bytes) const noexcept;
    /// Forgets the `count` oldest segments and their summaries; the start offset moves up
    /// to the first offset left (the end offset when none is).
    void drop_front(std::size_t count);

    /// Sets the start offset (DeleteRecords); the caller keeps it within [start, end].
    void set_start_offset(std::int64_t offset) noexcept { start_offset_ = offset; }
    /// Sets start and end of a log that has no segment yet (recovered with none).
    void reset_empty(std::int64_t offset) noexcept { start_offset_ = end_offset_ = offset; }

    /// The segments, oldest first.
    [[nodiscard]] const std::deque<segment_layout>& segments() const noexcept { return segments_; }
    /// The summaries of every batch held, in offset order.
    [[nodiscard]] const std::vector<batch_summary>& batches() const noexcept { return summaries_; }
    /// First offset still in the log.
    [[nodiscard]] std::int64_t start_offset() const noexcept { return start_offset_; }
    /// Offset the next batch gets.
    [[nodiscard]] std::int64_t end_offset() const noexcept { return end_offset_; }
    /// Bytes of all segments.
    [[nodiscard]] std::uint64_t size_bytes() const noexcept { return size_; }
    /// The configured segment size.
    [[nodiscard]] std::uint64_t segment_bytes() const noexcept { return segment_bytes_; }

    /// Size of batch `i` (index into the segment's positions) of segment `s`.
    [[nodiscard]] std::size_t batch_size(const segment_layout& s, std::size_t i) const noexcept {
        const std::uint64_t end = i + 1 < s.positions.size() ? s.positions[i + 1] : s.bytes;
        return static_cast<std::size_t>(end - s.positions[i]);
    }

private:
    /// Index of the segment holding batch `batch` (an index into summaries_).
    [[nodiscard]] std::size_t segment_of_batch(std::size_t batch) const noexcept;

    std::uint64_t segment_bytes_;
    std::deque<segment_layout> segments_;
    std::vector<batch_summary> summaries_;
    std::int64_t start_offset_ = 0;
    std::int64_t end_offset_ = 0;
    std::uint64_t size_ = 0;
};

} // namespace kafkit::broker
