// WriteTxnMarkers (27, v0-1): a transaction coordinator's request to end a producer's
// transaction on the partitions this node leads, by appending a control batch with one
// abort or commit marker (KafkaApis.handleWriteTxnMarkersRequest). Admin clients send it
// to abort a hanging transaction (KIP-664). This broker has no transactional produce, so
// a marker ends no records (no aborted-transaction entry for read_committed fetches), but
// it is checked against the producer's state and moves the producer to its epoch as in
// Kafka: an older epoch is INVALID_PRODUCER_EPOCH, an older coordinator epoch
// TRANSACTION_COORDINATOR_FENCED. A partition not led here is NOT_LEADER_OR_FOLLOWER,
// an unknown one UNKNOWN_TOPIC_OR_PARTITION.

#include "data/partition_access.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/write_txn_markers.hpp"
#include "kafkit/protocol/record_batch.hpp"
#include "server/scheduler.hpp"
#include "state/broker_state.hpp"
#include "state/producer_registry.hpp"

#include <vector>

namespace kafkit::broker {
namespace {

using protocol::write_txn_markers_request;
using protocol::write_txn_markers_response;

/// The control batch of one marker at the end of `p`, and its summary as stored.
struct marker_batch {
    std::vector<std::uint8_t> bytes;
    batch_summary summary;
};

marker_batch build_marker(const partition& p, const write_txn_markers_request::writable_txn_marker& m) {
    protocol::record_batch_options options;
    options.base_offset = p.log->log_end_offset();
    options.partition_leader_epoch = p.leader_epoch;
    options.producer_id = m.producer_id;
    options.producer_epoch = m.producer_epoch;
    options.transactional = true;
    options.control = true;
    const auto now = scheduler::wall_clock_ms();
    const auto type = m.transaction_result ? protocol::control_record_type::commit : protocol::control_record_type::abort;
    const auto marker = protocol::encode_end_txn_marker(type, m.coordinator_epoch);
    protocol::record_batch_builder builder(options);
    builder.append(now, protocol::bytes_view(marker.key.data(), marker.key.size()),
                   protocol::bytes_view(marker.value.data(), marker.value.size()));
    marker_batch out;
    out.bytes = builder.release().value(); // uncompressed: cannot fail
    auto& s = out.summary;
    s.base_offset = options.base_offset;
    s.last_offset = options.base_offset;
    s.max_timestamp = now;
    s.offset_of_max_timestamp = options.base_offset;
    s.leader_epoch = p.leader_epoch;
    s.producer_id = m.producer_id;
    s.producer_epoch = m.producer_epoch;
    s.base_sequence = -1;
    s.record_count = 1;
    s.transactional = true;
    s.control = true;
    return out;
}

/// Writes the marker to partition `index` of `t`; the partition's error code.
kafka_errc write_marker(request_context& ctx, topic* t, std::int32_t index,
                        const write_txn_markers_request::writable_txn_marker& m, std::vector<partition*>& appended) {
    if (ctx.injected_error != 0) return static_cast<kafka_errc>(ctx.injected_error);
    auto access = access_partition(t, index, ctx.node, no_leader_epoch);
    if (access.error != kafka_errc::none) return access.error;
    partition& p = *access.part;
    const auto name = partition_name(t->name, index);
    auto& producers = ctx.state.producers();
    const auto verdict = producers.check_marker(*t, p, m.producer_id, m.producer_epoch, m.coordinator_epoch, name);
    if (verdict.what == sequence_verdict::action::reject) return verdict.error; // the answer has no message
    auto batch = build_marker(p, m);
    if (p.log->append(protocol::bytes_view(batch.bytes.data(), batch.bytes.size()), batch.summary))
        return kafka_errc::kafka_storage_error;
    producers.record_append(*t, p, batch.summary);
    producers.record_marker(*t, p, m.producer_id, m.coordinator_epoch);
    // The coordinator writes markers with acks=all.
    if (ctx.state.config().sync && p.log->flush()) return kafka_errc::kafka_storage_error;
    appended.push_back(&p);
    return kafka_errc::none;
}

} // namespace

void handle_write_txn_markers(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<write_txn_markers_request>(ctx, body);
    if (!request) return;
    write_txn_markers_response response;
    std::vector<partition*> appended;
    for (const auto& m : request->markers) {
        auto& out_marker = response.markers.emplace_back();
        out_marker.producer_id = m.producer_id;
        for (const auto& mt : m.topics) {
            auto& out_topic = out_marker.topics.emplace_back();
            out_topic.name = mt.name;
            topic* t = ctx.state.find_topic(mt.name);
            for (const auto index : mt.partition_indexes) {
                auto& out = out_topic.partitions.emplace_back();
                out.partition_index = index;
                out.error_code = static_cast<std::int16_t>(write_marker(ctx, t, index, m, appended));
            }
        }
    }
    reply<write_txn_markers_response>(ctx).send(response);
    // Long-polling fetchers see the new log end after the answer is on its way.
    for (partition* p : appended) p->notify_append();
}

} // namespace kafkit::broker
