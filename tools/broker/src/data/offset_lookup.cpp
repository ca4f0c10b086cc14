#include "data/offset_lookup.hpp"

#include "data/partition_access.hpp"
#include "kafkit/protocol/record_batch.hpp"
#include "state/partition.hpp"

#include <algorithm>
#include <functional>
#include <utility>

namespace kafkit::broker {
namespace {

/// Decodes the batch starting at `base_offset`, read whole from the log into `buffer`.
bool read_batch(const partition& p, std::int64_t base_offset, std::vector<std::uint8_t>& buffer,
                protocol::record_batch& out) {
    buffer.clear();
    p.log->read(base_offset, 1, true, buffer);
    protocol::record_batch_reader reader(protocol::bytes_view(buffer.data(), buffer.size()),
                                         {protocol::crc_check::skip, protocol::default_max_decompressed_size});
    auto read = reader.next(out);
    return read && *read;
}

std::int32_t known_epoch(std::int32_t epoch) { return epoch >= 0 ? epoch : -1; }

/// KIP-734: the first record holding the largest timestamp of the log (Kafka keeps the
/// first batch reaching it, then the first record of that batch with it).
std::optional<timestamp_and_offset> find_max_timestamp(const partition& p) {
    const batch_summary* best = nullptr;
    for (const auto& b : p.log->batches())
        if (!b.control && (!best || b.max_timestamp > best->max_timestamp)) best = &b;
    if (!best) return std::nullopt;
    timestamp_and_offset found{best->max_timestamp, best->offset_of_max_timestamp, known_epoch(best->leader_epoch)};
    std::vector<std::uint8_t> buffer;
    protocol::record_batch batch;
    if (read_batch(p, best->base_offset, buffer, batch)) {
        for (const auto& r : batch.records())
            if (r.timestamp == best->max_timestamp) {
                found.offset = r.offset;
                break;
            }
    }
    if (found.offset < 0) found.offset = best->base_offset;
    return found;
}

/// The first record at or after `timestamp` that the log still serves (at or above its
/// start), found through the batches' max timestamps, then in the batch's records.
std::optional<timestamp_and_offset> find_by_timestamp(const partition& p, std::int64_t timestamp) {
    const std::int64_t log_start = p.log->log_start_offset();
    std::vector<std::uint8_t> buffer;
    protocol::record_batch batch;
    for (const auto& b : p.log->batches()) {
        if (b.control || b.last_offset < log_start || b.max_timestamp < timestamp) continue;
        if (!read_batch(p, b.base_offset, buffer, batch)) continue;
        for (const auto& r : batch.records())
            if (r.timestamp >= timestamp && r.offset >= log_start)
                return timestamp_and_offset{r.timestamp, r.offset, known_epoch(b.leader_epoch)};
    }
    return std::nullopt;
}

} // namespace

std::optional<timestamp_and_offset> find_offset(const partition& p, std::int64_t timestamp) {
    switch (timestamp) {
    case earliest_timestamp:
    case earliest_local_timestamp: { // no tiered storage: the local log is the whole log
        const std::int64_t log_start = p.log->log_start_offset();
        const auto entries = epoch_entries(p);
        const bool covered = !entries.empty() && entries.front().second <= log_start;
        return timestamp_and_offset{-1, log_start, covered ? entries.front().first : -1};
    }
    case latest_timestamp: return timestamp_and_offset{-1, p.log->log_end_offset(), p.leader_epoch};
    case latest_tiered_timestamp: return timestamp_and_offset{-1, -1, -1}; // nothing tiered
    case max_timestamp: return find_max_timestamp(p);
    default: return find_by_timestamp(p, timestamp);
    }
}

std::vector<std::int64_t> legacy_offsets(const partition& p, std::int64_t timestamp, std::int32_t max_offsets,
                                         std::int64_t now_ms) {
    // (offset, last modified) of the segment, then the log end when there is data.
    const auto& batches = p.log->batches();
    std::vector<std::pair<std::int64_t, std::int64_t>> points;
    points.emplace_back(p.log->log_start_offset(), batches.empty() ? 0 : batches.back().max_timestamp);
    if (p.log->log_end_offset() > p.log->log_start_offset()) points.emplace_back(p.log->log_end_offset(), now_ms);
    std::ptrdiff_t start = -1;
    if (timestamp == latest_timestamp) start = static_cast<std::ptrdiff_t>(points.size()) - 1;
    else if (timestamp == earliest_timestamp) start = 0;
    else
        for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(points.size()) - 1; i >= 0 && start < 0; --i)
            if (points[static_cast<std::size_t>(i)].second <= timestamp) start = i;
    std::vector<std::int64_t> offsets;
    for (std::ptrdiff_t i = start; i >= 0 && static_cast<std::int32_t>(offsets.size()) < max_offsets; --i)
        offsets.push_back(points[static_cast<std::size_t>(i)].first);
    std::sort(offsets.begin(), offsets.end(), std::greater<>());
    return offsets;
}

} // namespace kafkit::broker
