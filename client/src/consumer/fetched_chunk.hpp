#pragma once
// What the fetcher hands to poll(): one partition's records from one Fetch response, in
// the response's own buffer (fetch_buffer), tagged with the partition's version so that
// data fetched before a seek or an unassign is recognised and dropped.

#include "consumer/partition_backlog.hpp"
#include "consumer/prefetch_budget.hpp"
#include "kafkit/consumer_record.hpp"
#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/record_batch.hpp"
#include "kafkit/topic_partition.hpp"
#include "net/request.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace kafkit::detail {

/// A Fetch response body, charged against the prefetch budget until its last user goes.
/// It keeps the connection's read buffer when the body fills most of it, and copies the
/// body otherwise (a small body would pin a large buffer).
struct fetch_buffer {
    fetch_buffer(const response_body& body, std::shared_ptr<prefetch_budget> budget_)
        : frame(worth_keeping(body) ? body.keep() : nullptr), budget(std::move(budget_)) {
        if (frame) {
            bytes = body;
            charged = static_cast<std::int64_t>(frame->capacity());
        } else {
            copy.assign(body.begin(), body.end());
            bytes = protocol::bytes_view(copy.data(), copy.size());
            charged = static_cast<std::int64_t>(copy.size());
        }
        budget->charge(charged);
    }
    ~fetch_buffer() { budget->release(charged); }
    fetch_buffer(const fetch_buffer&) = delete;
    fetch_buffer& operator=(const fetch_buffer&) = delete;

    protocol::bytes_view bytes; ///< the body, in `frame` or `copy`
    std::shared_ptr<const frame_buffer> frame;
    std::vector<std::uint8_t> copy;
    std::shared_ptr<prefetch_budget> budget;
    std::int64_t charged = 0;

private:
    static bool worth_keeping(const response_body& body) noexcept {
        const auto frame = body.keep();
        return frame && body.size() >= frame->capacity() / 2;
    }
};

struct fetched_chunk {
    topic_partition partition;
    std::shared_ptr<const std::string> topic; ///< the name records view
    std::uint64_t version = 0;
    /// The offset this fetch asked from: the partition's position when it was not known.
    std::int64_t fetch_offset = -1;
    std::shared_ptr<const fetch_buffer> buffer;
    protocol::bytes_view records; ///< into buffer
    /// Counts this chunk among its partition's undrained ones while records are in it.
    std::shared_ptr<const partition_backlog::ticket> backlog;
    std::int64_t high_watermark = -1;
    /// read_committed: the aborted transactions in this range, as (producer id, first
    /// offset), by first offset.
    std::vector<std::pair<std::int64_t, std::int64_t>> aborted;
    /// Set for a partition error poll() must report (then no records).
    std::error_code error;
    /// The fetcher moved the position by itself (a reset, a log truncation): poll() takes
    /// fetch_offset as the partition's position instead of keeping its own.
    bool moved = false;
};

/// The storage behind one consumer_records: the records, events and headers it lists and
/// what keeps their views alive.
struct polled_batch {
    std::vector<consumer_record> records;
    std::vector<consumer_event> events;
    std::vector<header> headers; ///< records' header spans point in (filled before the spans are set)
    std::vector<std::shared_ptr<const protocol::record_batch>> batches; ///< decompressed data
    std::vector<std::shared_ptr<const fetch_buffer>> buffers;
    std::vector<std::shared_ptr<const std::string>> topics;
};

} // namespace kafkit::detail
