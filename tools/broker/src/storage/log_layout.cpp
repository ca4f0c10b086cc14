// The rules shared by the memory and file logs: rolling, reading whole batches (KIP-74),
// DeleteRecords and retention by time and size, as Kafka's UnifiedLog applies them.

#include "storage/log_layout.hpp"

#include <algorithm>
#include <limits>

namespace kafkit::broker {

namespace {
/// Kafka's smallest log.segment.bytes: one batch header's worth (LegacyRecord.RECORD_OVERHEAD_V0).
constexpr std::int64_t min_segment_bytes = 14;
/// Kafka's log.segment.bytes is an int; positions in our index are 32-bit too.
constexpr std::int64_t max_segment_bytes = std::numeric_limits<std::int32_t>::max();
} // namespace

log_layout::log_layout(std::int64_t segment_bytes)
    : segment_bytes_(static_cast<std::uint64_t>(std::clamp(segment_bytes, min_segment_bytes, max_segment_bytes))) {}

bool log_layout::needs_roll(std::size_t batch_size, std::int64_t last_offset) const noexcept {
    if (segments_.empty()) return true;
    const auto& active = segments_.back();
    // A batch larger than a segment still goes somewhere: into an empty segment of its own.
    if (active.bytes == 0) return false;
    return active.bytes + batch_size > segment_bytes_ ||
           last_offset - active.base_offset > std::numeric_limits<std::int32_t>::max();
}

void log_layout::add_segment(std::int64_t base_offset) {
    segment_layout s;
    s.base_offset = base_offset;
    s.first_batch = summaries_.size();
    segments_.push_back(std::move(s));
    // Appends roll at the end offset; recovery starts the log at its first segment.
    end_offset_ = base_offset;
}

void log_layout::add_batch(const batch_summary& summary, std::size_t size) {
    auto& active = segments_.back();
    active.positions.push_back(static_cast<std::uint32_t>(active.bytes));
    active.bytes += size;
    active.max_timestamp = std::max(active.max_timestamp, summary.max_timestamp);
    summaries_.push_back(summary);
    end_offset_ = summary.last_offset + 1;
    size_ += size;
}

std::size_t log_layout::segment_of_batch(std::size_t batch) const noexcept {
    // The last segment whose first batch is at or before `batch`.
    auto it = std::upper_bound(segments_.begin(), segments_.end(), batch,
                               [](std::size_t b, const segment_layout& s) { return b < s.first_batch; });
    return static_cast<std::size_t>(it - segments_.begin()) - 1;
}

std::vector<read_run> log_layout::plan_read(std::int64_t offset, std::size_t max_bytes,
                                            bool at_least_one) const {
    std::vector<read_run> runs;
    if (offset >= end_offset_ || summaries_.empty()) return runs;
    // The first batch whose last offset is at or past `offset`: the one holding it, or the
    // next one when `offset` falls in a gap (below the start, or compacted away).
    auto it = std::lower_bound(summaries_.begin(), summaries_.end(), offset,
                               [](const batch_summary& b, std::int64_t o) { return b.last_offset < o; });
    if (it == summaries_.end()) return runs;
    std::size_t batch = static_cast<std::size_t>(it - summaries_.begin());
    std::size_t copied = 0;
    for (std::size_t s = segment_of_batch(batch); s < segments_.size(); ++s) {
        const auto& seg = segments_[s];
        read_run run{s, 0, 0};
        for (std::size_t i = batch - seg.first_batch; i < seg.positions.size(); ++i, ++batch) {
            const std::size_t size = batch_size(seg, i);
            // KIP-74: the first batch goes out whole even past max_bytes when at_least_one.
            if (copied + size > max_bytes && !(at_least_one && copied == 0)) {
                if (run.size > 0) runs.push_back(run);
                return runs;
            }
            if (run.size == 0) run.position = seg.positions[i];
            run.size += size;
            copied += size;
        }
        if (run.size > 0) runs.push_back(run);
    }
    return runs;
}

std::size_t log_layout::segments_below(std::int64_t offset) const noexcept {
    std::size_t count = 0;
    // A segment ends where the next begins; the active one ends at the end offset.
    while (count < segments_.size()) {
        const std::int64_t next_base =
            count + 1 < segments_.size() ? segments_[count + 1].base_offset : end_offset_;
        if (next_base > offset) break;
        ++count;
    }
    return count;
}

std::size_t log_layout::segments_expired(std::int64_t now_ms, std::int64_t retention_ms,
                                         std::int64_t retention_bytes) const noexcept {
    std::size_t count = 0;
    std::uint64_t remaining = size_;
    while (count + 1 < segments_.size()) {
        const auto& oldest = segments_[count];
        // Kafka: startMs - segment.largestTimestamp > retentionMs. A segment without any
        // timestamp never expires by time (Kafka would fall back to the file's mtime).
        const bool too_old = retention_ms >= 0 && oldest.max_timestamp >= 0 &&
                             now_ms - oldest.max_timestamp > retention_ms;
        // Kafka: drop while (size - retentionSize) - segment.size >= 0.
        const bool too_big = retention_bytes >= 0 &&
                             remaining >= oldest.bytes + static_cast<std::uint64_t>(retention_bytes);
        if (!too_old && !too_big) break;
        remaining -= oldest.bytes;
        ++count;
    }
    return count;
}

void log_layout::drop_front(std::size_t count) {
    count = std::min(count, segments_.size());
    if (count == 0) return;
    const std::size_t batches = count < segments_.size() ? segments_[count].first_batch : summaries_.size();
    const std::int64_t next_base = count < segments_.size() ? segments_[count].base_offset : end_offset_;
    for (std::size_t i = 0; i < count; ++i) size_ -= segments_[i].bytes;
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(count));
    summaries_.erase(summaries_.begin(), summaries_.begin() + static_cast<std::ptrdiff_t>(batches));
    for (auto& s : segments_) s.first_batch -= batches;
    start_offset_ = std::max(start_offset_, next_base);
}

} // namespace kafkit::broker
