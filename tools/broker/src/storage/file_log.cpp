// The segment-file partition log: one directory per partition holding Kafka-named segments
// (`%020d.log` + `%020d.index`) and `log-start-offset`. Appends go through write(2), reads
// through pread(2) into the caller's buffer; flush() fdatasyncs what changed. The rules
// (rolling, reads, DeleteRecords, retention) are log_layout's, shared with the memory log.
// Opening recovers every segment (log_recovery.cpp) and rebuilds the batch summaries.

#include "storage/log_layout.hpp"
#include "storage/log_recovery.hpp"
#include "storage/partition_log.hpp"
#include "storage/posix_io.hpp"
#include "storage/segment_file.hpp"

#include <algorithm>
#include <charconv>
#include <deque>
#include <limits>
#include <string>

namespace kafkit::broker {
namespace {

/// The file that keeps the log start offset across restarts (moved by DeleteRecords),
/// as Kafka's log-start-offset-checkpoint does for a whole log dir.
constexpr const char* start_offset_file = "log-start-offset";

/// The persisted log start offset; nullopt when the file is missing or unreadable.
std::optional<std::int64_t> read_start_offset(const std::filesystem::path& dir) {
    auto text = read_small_file(dir / start_offset_file);
    if (!text) return std::nullopt;
    while (!text->empty() && (text->back() == '\n' || text->back() == ' ')) text->pop_back();
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || ptr != text->data() + text->size() || value < 0) return std::nullopt;
    return value;
}

/// Base offsets of the .log files in `dir`, ascending.
std::vector<std::int64_t> list_segments(const std::filesystem::path& dir) {
    std::vector<std::int64_t> bases;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (auto base = parse_segment_file_name(entry.path().filename().string(), ".log")) bases.push_back(*base);
    }
    std::sort(bases.begin(), bases.end());
    return bases;
}

class file_log final : public partition_log {
public:
    file_log(std::filesystem::path dir, std::int64_t segment_bytes)
        : dir_(std::move(dir)), layout_(segment_bytes) {
        std::error_code ec;
        parent_dirty_ = std::filesystem::create_directories(dir_, ec);
        if (ec) throw std::system_error(ec, "cannot create log directory " + dir_.string());
        recover();
    }

    std::error_code append(protocol::bytes_view batch, const batch_summary& summary) override {
        // The produce path assigns offsets; a batch elsewhere would break offset lookups.
        if (destroyed_ || summary.base_offset != layout_.end_offset() || summary.last_offset < summary.base_offset ||
            batch.size() > std::numeric_limits<std::uint32_t>::max())
            return std::make_error_code(std::errc::invalid_argument);
        if (layout_.needs_roll(batch.size(), summary.last_offset)) {
            if (auto ec = roll(summary.base_offset)) return ec;
        }
        auto& active = files_.back();
        index_entry entry;
        entry.relative_offset = static_cast<std::uint32_t>(summary.base_offset - active.base_offset());
        entry.position = static_cast<std::uint32_t>(active.log_size());
        entry.max_timestamp_delta = summary.offset_of_max_timestamp < summary.base_offset
                                        ? no_max_timestamp
                                        : static_cast<std::uint32_t>(summary.offset_of_max_timestamp - summary.base_offset);
        if (auto ec = active.append(batch, entry)) return ec;
        layout_.add_batch(summary, batch.size());
        return {};
    }

    std::size_t read(std::int64_t offset, std::size_t max_bytes, bool at_least_one,
                     std::vector<std::uint8_t>& out) const override {
        const std::size_t original = out.size();
        for (const auto& run : layout_.plan_read(offset, max_bytes, at_least_one)) {
            const std::size_t at = out.size();
            out.resize(at + run.size);
            if (files_[run.segment].read(run.position, run.size, out.data() + at)) {
                out.resize(original); // whole batches or nothing
                return 0;
            }
        }
        return out.size() - original;
    }

    [[nodiscard]] std::int64_t log_start_offset() const override { return layout_.start_offset(); }
    [[nodiscard]] std::int64_t log_end_offset() const override { return layout_.end_offset(); }
    [[nodiscard]] std::uint64_t size_bytes() const override { return layout_.size_bytes(); }
    [[nodiscard]] const std::vector<batch_summary>& batches() const override { return layout_.batches(); }

    std::error_code delete_before(std::int64_t offset) override {
        if (offset > layout_.end_offset()) return std::make_error_code(std::errc::invalid_argument);
        if (destroyed_ || offset <= layout_.start_offset()) return {};
        // Durable before any segment goes: a crash in between must not bring records back.
        if (auto ec = write_file_durably(dir_ / start_offset_file, std::to_string(offset) + "\n")) return ec;
        layout_.set_start_offset(offset);
        drop_front(layout_.segments_below(offset));
        return {};
    }

    bool apply_retention(std::int64_t now_ms, std::int64_t retention_ms, std::int64_t retention_bytes) override {
        // No need to persist the start offset: it is the first segment's base after this,
        // which recovery takes when larger than the persisted one.
        const std::size_t count = layout_.segments_expired(now_ms, retention_ms, retention_bytes);
        drop_front(count);
        return count > 0;
    }

    std::error_code flush() override {
        for (auto& f : files_) {
            if (auto ec = f.sync()) return ec;
        }
        // Segment files created or removed since the last flush: their directory entries.
        if (dir_dirty_) {
            if (auto ec = sync_directory(dir_)) return ec;
            dir_dirty_ = false;
        }
        if (parent_dirty_) {
            if (auto ec = sync_directory(dir_.parent_path())) return ec;
            parent_dirty_ = false;
        }
        return {};
    }

    void destroy() override {
        files_.clear(); // closes the files
        layout_.drop_front(layout_.segments().size());
        destroyed_ = true;
        dir_dirty_ = parent_dirty_ = false;
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec); // nothing to do about a failure but leave it
    }

private:
    /// Starts a new active segment at `base_offset`.
    std::error_code roll(std::int64_t base_offset) {
        segment_file f;
        if (auto ec = segment_file::open(dir_, base_offset, segment_file::mode::create, f)) return ec;
        if (!files_.empty()) files_.back().seal();
        files_.push_back(std::move(f));
        layout_.add_segment(base_offset);
        dir_dirty_ = true;
        return {};
    }

    /// Deletes the `count` oldest segments and their files.
    void drop_front(std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) (void)files_[i].remove();
        files_.erase(files_.begin(), files_.begin() + static_cast<std::ptrdiff_t>(count));
        layout_.drop_front(count);
        if (count > 0) dir_dirty_ = true;
    }

    /// Rebuilds the layout from the segments on disk (Kafka's LogLoader): checks each in
    /// offset order, cuts a torn tail, and deletes whatever follows a damaged or
    /// out-of-sequence segment, since offsets must stay contiguous.
    void recover();
    /// Opens and checks one segment; false when it (and every later one) must go.
    bool recover_segment_at(std::int64_t base, bool last);

    std::filesystem::path dir_;
    log_layout layout_;
    std::deque<segment_file> files_; ///< parallel to layout_.segments()
    bool dir_dirty_ = false;         ///< segment files created/removed since the last flush
    bool parent_dirty_ = false;      ///< the partition directory itself was created
    bool destroyed_ = false;
};

bool file_log::recover_segment_at(std::int64_t base, bool last) {
    segment_file f;
    if (auto ec = segment_file::open(dir_, base, segment_file::mode::recover, f))
        throw std::system_error(ec, "cannot open segment " + segment_file_name(base, ".log") + " in " + dir_.string());
    // After the first segment each must begin where the previous one ended.
    if (!files_.empty() && base != layout_.end_offset()) {
        (void)f.remove();
        return false;
    }
    recovered_segment found;
    if (auto ec = recover_segment(f, base, found))
        throw std::system_error(ec, "cannot recover segment " + segment_file_name(base, ".log") + " in " + dir_.string());
    if (found.summaries.empty() && !last && !found.truncated) {
        (void)f.remove(); // an empty segment left between two others: harmless, dropped
        dir_dirty_ = true;
        return true;
    }
    layout_.add_segment(base);
    for (std::size_t i = 0; i < found.summaries.size(); ++i) {
        const std::size_t end = i + 1 < found.positions.size() ? found.positions[i + 1] : found.valid_bytes;
        layout_.add_batch(found.summaries[i], end - found.positions[i]);
    }
    files_.push_back(std::move(f));
    // Kafka's LogLoader: once a segment had to be cut, nothing after it can be trusted.
    return !found.truncated;
}

void file_log::recover() {
    std::error_code ec;
    std::filesystem::remove(dir_ / (std::string(start_offset_file) + ".tmp"), ec); // a crashed write
    const auto bases = list_segments(dir_);
    // .index files without their .log (a crash while deleting a segment) are leftovers.
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
        auto base = parse_segment_file_name(entry.path().filename().string(), ".index");
        if (base && !std::binary_search(bases.begin(), bases.end(), *base))
            std::filesystem::remove(entry.path(), ec);
    }
    std::size_t i = 0;
    for (; i < bases.size(); ++i) {
        if (!recover_segment_at(bases[i], i + 1 == bases.size())) {
            ++i;
            break;
        }
    }
    for (; i < bases.size(); ++i) {
        segment_file f;
        if (!segment_file::open(dir_, bases[i], segment_file::mode::recover, f)) (void)f.remove();
        dir_dirty_ = true;
    }

    for (std::size_t s = 0; s + 1 < files_.size(); ++s) files_[s].seal();

    const std::int64_t persisted = read_start_offset(dir_).value_or(0);
    if (files_.empty()) {
        layout_.reset_empty(persisted);
        return;
    }
    layout_.set_start_offset(std::max(persisted, layout_.segments().front().base_offset));
    // Finish a DeleteRecords that crashed between persisting its offset and deleting
    // segments, or whose records a torn tail took: the start offset never moves back.
    if (layout_.start_offset() >= layout_.end_offset()) {
        const std::int64_t start = layout_.start_offset();
        drop_front(files_.size());
        layout_.reset_empty(start);
    } else {
        drop_front(layout_.segments_below(layout_.start_offset()));
    }
}

} // namespace

std::unique_ptr<partition_log> open_file_log(const std::filesystem::path& dir, std::int64_t segment_bytes) {
    return std::make_unique<file_log>(dir, segment_bytes);
}

} // namespace kafkit::broker
