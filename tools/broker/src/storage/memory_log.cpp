// The in-memory partition log: segments of contiguous batch bytes, so that reads copy
// whole batches with one memcpy each and retention drops whole segments as on disk.

#include "storage/partition_log.hpp"

#include <algorithm>
#include <cstring>
#include <deque>

namespace kafkit::broker {
namespace {

struct memory_segment {
    std::int64_t base_offset = 0;
    std::vector<std::uint8_t> bytes;
    std::vector<std::size_t> positions; ///< of each batch, parallel to the summaries
    std::size_t first_batch = 0;        ///< index into the log's summaries
    std::int64_t max_timestamp = -1;
};

class memory_log final : public partition_log {
public:
    explicit memory_log(std::int64_t segment_bytes)
        : segment_bytes_(static_cast<std::size_t>(std::max<std::int64_t>(segment_bytes, 14))) {}

    std::error_code append(protocol::bytes_view batch, const batch_summary& summary) override {
        if (segments_.empty() || (segments_.back().bytes.size() + batch.size() > segment_bytes_ &&
                                  !segments_.back().bytes.empty())) {
            memory_segment s;
            s.base_offset = summary.base_offset;
            s.first_batch = first_index_ + summaries_.size();
            segments_.push_back(std::move(s));
        }
        auto& seg = segments_.back();
        seg.positions.push_back(seg.bytes.size());
        seg.bytes.insert(seg.bytes.end(), batch.begin(), batch.end());
        seg.max_timestamp = std::max(seg.max_timestamp, summary.max_timestamp);
        summaries_.push_back(summary);
        end_offset_ = summary.last_offset + 1;
        size_ += batch.size();
        return {};
    }

    std::size_t read(std::int64_t offset, std::size_t max_bytes, bool at_least_one,
                     std::vector<std::uint8_t>& out) const override {
        if (offset >= end_offset_ || summaries_.empty()) return 0;
        // First batch whose last offset is >= offset.
        auto it = std::lower_bound(summaries_.begin(), summaries_.end(), offset,
                                   [](const batch_summary& b, std::int64_t o) { return b.last_offset < o; });
        if (it == summaries_.end()) return 0;
        std::size_t index = first_index_ + static_cast<std::size_t>(it - summaries_.begin());
        std::size_t copied = 0;
        for (const auto& seg : segments_) {
            const std::size_t count = seg.positions.size();
            if (index >= seg.first_batch + count) continue;
            for (std::size_t i = index - seg.first_batch; i < count; ++i, ++index) {
                const std::size_t begin = seg.positions[i];
                const std::size_t end = i + 1 < count ? seg.positions[i + 1] : seg.bytes.size();
                const std::size_t size = end - begin;
                if (copied + size > max_bytes && !(at_least_one && copied == 0)) return copied;
                out.insert(out.end(), seg.bytes.begin() + static_cast<std::ptrdiff_t>(begin),
                           seg.bytes.begin() + static_cast<std::ptrdiff_t>(end));
                copied += size;
            }
        }
        return copied;
    }

    [[nodiscard]] std::int64_t log_start_offset() const override { return start_offset_; }
    [[nodiscard]] std::int64_t log_end_offset() const override { return end_offset_; }
    [[nodiscard]] std::uint64_t size_bytes() const override { return size_; }
    [[nodiscard]] const std::vector<batch_summary>& batches() const override { return summaries_; }

    std::error_code delete_before(std::int64_t offset) override {
        offset = std::min(offset, end_offset_);
        if (offset <= start_offset_) return {};
        start_offset_ = offset;
        // Drop whole segments that end below the new start; a partly covered one stays
        // (as Kafka's does) and its lower records are simply not served.
        while (segments_.size() > 1 && next_segment_base(0) <= offset) drop_front_segment();
        if (segments_.size() == 1 && end_offset_ == offset) {
            drop_front_segment();
        }
        return {};
    }

    bool apply_retention(std::int64_t now_ms, std::int64_t retention_ms, std::int64_t retention_bytes) override {
        bool dropped = false;
        while (segments_.size() > 1) {
            const auto& oldest = segments_.front();
            const bool too_old = retention_ms >= 0 && oldest.max_timestamp >= 0 &&
                                 now_ms - oldest.max_timestamp > retention_ms;
            const bool too_big = retention_bytes >= 0 &&
                                 size_ - oldest.bytes.size() >= static_cast<std::uint64_t>(retention_bytes) &&
                                 size_ > static_cast<std::uint64_t>(retention_bytes);
            if (!too_old && !too_big) break;
            start_offset_ = std::max(start_offset_, next_segment_base(0));
            drop_front_segment();
            dropped = true;
        }
        return dropped;
    }

    std::error_code flush() override { return {}; }
    void destroy() override {
        segments_.clear();
        summaries_.clear();
    }

private:
    [[nodiscard]] std::int64_t next_segment_base(std::size_t i) const {
        return i + 1 < segments_.size() ? segments_[i + 1].base_offset : end_offset_;
    }

    void drop_front_segment() {
        const auto& seg = segments_.front();
        const std::size_t count = seg.positions.size();
        size_ -= seg.bytes.size();
        summaries_.erase(summaries_.begin(), summaries_.begin() + static_cast<std::ptrdiff_t>(count));
        first_index_ += count;
        segments_.pop_front();
    }

    std::size_t segment_bytes_;
    std::deque<memory_segment> segments_;
    std::vector<batch_summary> summaries_;
    std::size_t first_index_ = 0; ///< summaries dropped so far (segments keep global indexes)
    std::int64_t start_offset_ = 0;
    std::int64_t end_offset_ = 0;
    std::uint64_t size_ = 0;
};

} // namespace

std::unique_ptr<partition_log> make_memory_log(std::int64_t segment_bytes) {
    return std::make_unique<memory_log>(segment_bytes);
}

} // namespace kafkit::broker
