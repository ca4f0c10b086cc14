// Recovery of one segment (see log_recovery.hpp): Kafka's LogSegment.recover, with a CRC
// check of every batch since this log keeps no recovery point.

#include "storage/log_recovery.hpp"

#include "kafkit/protocol/crc32c.hpp"
#include "kafkit/protocol/record_batch.hpp"
#include "storage/batch_summary.hpp"

#include <algorithm>
#include <limits>

namespace kafkit::broker {

namespace {

/// Bytes read from the .log at a time: batches are parsed out of this window.
constexpr std::size_t read_chunk = std::size_t{1} << 20;
/// Where the CRC32C coverage of a v2 batch starts (after base offset, length, leader epoch,
/// magic and the CRC itself).
constexpr std::size_t crc_start = 21;

/// A sliding window over a segment's .log, refilled by pread as the scan advances.
class log_window {
public:
    explicit log_window(const segment_file& file) : file_(file) {}

    /// `size` bytes at `position`, or an empty view when the file ends first. An I/O error is
    /// left in `error`.
    protocol::bytes_view bytes(std::uint64_t position, std::size_t size, std::error_code& error) {
        if (position + size > file_.log_size()) return {};
        if (position < start_ || position + size > start_ + buffer_.size()) {
            const std::uint64_t left = file_.log_size() - position;
            buffer_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(left, std::max(size, read_chunk))));
            start_ = position;
            if ((error = file_.read(position, buffer_.size(), buffer_.data()))) {
                buffer_.clear();
                return {};
            }
        }
        return {buffer_.data() + (position - start_), size};
    }

private:
    const segment_file& file_;
    std::vector<std::uint8_t> buffer_;
    std::uint64_t start_ = 0;
};

/// The index entry a batch should have.
index_entry entry_for(const batch_summary& s, std::int64_t segment_base, std::uint64_t position) {
    index_entry e;
    e.relative_offset = static_cast<std::uint32_t>(s.base_offset - segment_base);
    e.position = static_cast<std::uint32_t>(position);
    e.max_timestamp_delta = s.offset_of_max_timestamp < 0
                                ? no_max_timestamp
                                : static_cast<std::uint32_t>(s.offset_of_max_timestamp - s.base_offset);
    return e;
}

/// Whether `stored` is a believable index entry for the batch: same place, and a max
/// timestamp offset inside the batch.
bool entry_matches(const index_entry& stored, const index_entry& expected, const batch_summary& s) {
    if (stored.relative_offset != expected.relative_offset || stored.position != expected.position) return false;
    if (stored.max_timestamp_delta == no_max_timestamp) return s.max_timestamp < 0;
    return stored.max_timestamp_delta <= static_cast<std::uint64_t>(s.last_offset - s.base_offset);
}

/// offset_of_max_timestamp from the records; if they cannot be decoded (yet the CRC held),
/// the batch's last offset, as Kafka reported it before KIP-734's fix (shallow offset).
std::int64_t offset_of_max_timestamp(protocol::bytes_view batch, const batch_summary& s) {
    auto full = summarize_batch(batch);
    if (full) return full->offset_of_max_timestamp;
    return s.max_timestamp < 0 ? -1 : s.last_offset;
}

} // namespace

std::error_code recover_segment(segment_file& segment, std::int64_t expected_base, recovered_segment& out) {
    out = {};
    std::vector<index_entry> stored;
    // An unreadable index is rebuilt like a missing one.
    if (segment.read_index(stored)) stored.clear();
    std::vector<index_entry> entries;

    log_window window(segment);
    std::uint64_t position = 0;
    std::int64_t next_offset = expected_base;
    std::error_code io_error;
    bool index_ok = true;
    while (position < segment.log_size()) {
        auto head = window.bytes(position, protocol::record_batch_header_size, io_error);
        if (io_error) return io_error;
        if (head.empty()) break; // a header cut short: torn tail
        auto header = protocol::read_record_batch_header(head);
        if (!header || header->base_offset != next_offset || header->last_offset_delta < 0 ||
            header->size_in_bytes() > std::numeric_limits<std::uint32_t>::max() ||
            position > std::numeric_limits<std::uint32_t>::max() ||
            header->last_offset() - segment.base_offset() > std::numeric_limits<std::int32_t>::max())
            break;
        auto batch = window.bytes(position, header->size_in_bytes(), io_error);
        if (io_error) return io_error;
        if (batch.empty()) break; // the batch runs past the end of the file: torn tail
        if (protocol::crc32c(batch.subview(crc_start)) != header->crc) break;

        batch_summary s = summary_of_header(*header);
        const std::size_t i = out.summaries.size();
        index_entry expected = entry_for(s, segment.base_offset(), position);
        if (index_ok && i < stored.size() && entry_matches(stored[i], expected, s)) {
            s.offset_of_max_timestamp = stored[i].max_timestamp_delta == no_max_timestamp
                                            ? -1
                                            : s.base_offset + stored[i].max_timestamp_delta;
        } else {
            index_ok = false; // from here on the index is rebuilt from the batches
            s.offset_of_max_timestamp = offset_of_max_timestamp(batch, s);
        }
        entries.push_back(entry_for(s, segment.base_offset(), position));
        out.summaries.push_back(s);
        out.positions.push_back(static_cast<std::uint32_t>(position));
        position += header->size_in_bytes();
        next_offset = s.last_offset + 1;
    }

    out.valid_bytes = position;
    if (position < segment.log_size()) {
        out.truncated = true;
        if (auto ec = segment.truncate_log(position)) return ec;
    }
    if (!index_ok || segment.index_size() != entries.size() * index_entry_size) {
        out.index_rebuilt = true;
        if (auto ec = segment.rewrite_index(entries)) return ec;
    }
    return {};
}

} // namespace kafkit::broker
