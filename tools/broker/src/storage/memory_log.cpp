// The in-memory partition log: segments of batch bytes in chunks that never move
// (chunked_bytes), so that reads copy whole batches and retention drops whole segments as on
// disk. The rules (rolling, reads, DeleteRecords, retention) are log_layout's, shared with
// the file log.

#include "storage/chunked_bytes.hpp"
#include "storage/log_layout.hpp"
#include "storage/partition_log.hpp"

#include <deque>
#include <limits>

namespace kafkit::broker {
namespace {

class memory_log final : public partition_log {
public:
    explicit memory_log(std::int64_t segment_bytes) : layout_(segment_bytes) {}

    std::error_code append(protocol::bytes_view batch, const batch_summary& summary) override {
        // The produce path assigns offsets; a batch elsewhere would break offset lookups.
        if (summary.base_offset != layout_.end_offset() || summary.last_offset < summary.base_offset ||
            batch.size() > std::numeric_limits<std::uint32_t>::max())
            return std::make_error_code(std::errc::invalid_argument);
        if (layout_.needs_roll(batch.size(), summary.last_offset)) {
            layout_.add_segment(summary.base_offset);
            data_.emplace_back();
        }
        data_.back().append(batch);
        layout_.add_batch(summary, batch.size());
        return {};
    }

    std::size_t read(std::int64_t offset, std::size_t max_bytes, bool at_least_one,
                     std::vector<std::uint8_t>& out) const override {
        std::size_t copied = 0;
        for (const auto& run : layout_.plan_read(offset, max_bytes, at_least_one)) {
            data_[run.segment].copy_to(run.position, run.size, out);
            copied += run.size;
        }
        return copied;
    }

    [[nodiscard]] std::int64_t log_start_offset() const override { return layout_.start_offset(); }
    [[nodiscard]] std::int64_t log_end_offset() const override { return layout_.end_offset(); }
    [[nodiscard]] std::uint64_t size_bytes() const override { return layout_.size_bytes(); }
    [[nodiscard]] const std::vector<batch_summary>& batches() const override { return layout_.batches(); }

    std::error_code delete_before(std::int64_t offset) override {
        if (offset > layout_.end_offset()) return std::make_error_code(std::errc::invalid_argument);
        if (offset <= layout_.start_offset()) return {};
        layout_.set_start_offset(offset);
        // Whole segments below the new start go; a partly covered one stays (as Kafka's
        // does) and its lower records are simply not served.
        drop_front(layout_.segments_below(offset));
        return {};
    }

    bool apply_retention(std::int64_t now_ms, std::int64_t retention_ms, std::int64_t retention_bytes) override {
        const std::size_t count = layout_.segments_expired(now_ms, retention_ms, retention_bytes);
        drop_front(count);
        return count > 0;
    }

    std::error_code flush() override { return {}; }

    void destroy() override {
        drop_front(layout_.segments().size());
    }

private:
    void drop_front(std::size_t count) {
        layout_.drop_front(count);
        data_.erase(data_.begin(), data_.begin() + static_cast<std::ptrdiff_t>(count));
    }

    log_layout layout_;
    std::deque<chunked_bytes> data_; ///< bytes of each segment, parallel to the layout's
};

} // namespace

std::unique_ptr<partition_log> make_memory_log(std::int64_t segment_bytes) {
    return std::make_unique<memory_log>(segment_bytes);
}

} // namespace kafkit::broker
