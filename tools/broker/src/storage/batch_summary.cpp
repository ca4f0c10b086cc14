// summarize_batch: what the logs remember of a batch, taken from its header and records.

#include "storage/batch_summary.hpp"

#include "kafkit/protocol/error.hpp"

namespace kafkit::broker {

batch_summary summary_of_header(const protocol::record_batch_header& header) noexcept {
    batch_summary s;
    s.base_offset = header.base_offset;
    s.last_offset = header.last_offset();
    s.max_timestamp = header.max_timestamp;
    s.leader_epoch = header.partition_leader_epoch;
    s.producer_id = header.producer_id;
    s.producer_epoch = header.producer_epoch;
    s.base_sequence = header.base_sequence;
    s.record_count = header.record_count;
    s.transactional = header.is_transactional();
    s.control = header.is_control();
    return s;
}

protocol::result<batch_summary> summarize_batch(protocol::bytes_view batch) {
    auto header = protocol::read_record_batch_header(batch);
    if (!header) return protocol::unexpected(header.error());
    if (header->size_in_bytes() > batch.size()) return protocol::unexpected(errc::truncated);
    batch_summary s = summary_of_header(*header);

    // Kafka's LogValidator: the first record whose timestamp beats every earlier one (strict
    // `>` from NO_TIMESTAMP), so records without timestamps leave it at -1. Under
    // LogAppendTime the reader gives every record the batch's max timestamp: the first wins.
    protocol::record_batch_read_options options;
    options.crc = protocol::crc_check::skip; // the caller checked it (produce) or will (recovery)
    protocol::record_batch_reader reader(batch.subview(0, header->size_in_bytes()), options);
    protocol::record_batch decoded;
    auto more = reader.next(decoded);
    if (!more) return protocol::unexpected(more.error());
    std::int64_t max_seen = protocol::no_timestamp;
    if (*more) {
        for (const auto& r : decoded.records()) {
            if (r.timestamp > max_seen) {
                max_seen = r.timestamp;
                s.offset_of_max_timestamp = r.offset;
            }
        }
    }
    return s;
}

} // namespace kafkit::broker
