// DescribeProducers (61, v0, KIP-664): the idempotent producers the partition's leader has
// state of (producer id, epoch, last sequence, last timestamp, the coordinator epoch of its
// last WriteTxnMarkers marker or -1). Without transactional produce there is no open
// transaction (start offset -1). A partition not
// led here is NOT_LEADER_OR_FOLLOWER; an unknown one UNKNOWN_TOPIC_OR_PARTITION.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/describe_producers.hpp"
#include "state/broker_state.hpp"
#include "state/producer_registry.hpp"

namespace kafkit::broker {

void handle_describe_producers(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::describe_producers_request>(ctx, body);
    if (!request) return;
    protocol::describe_producers_response response;
    for (const auto& t : request->topics) {
        auto& out_topic = response.topics.emplace_back();
        out_topic.name = t.name;
        const auto* found = ctx.state.find_topic(t.name);
        for (const auto index : t.partition_indexes) {
            auto& out = out_topic.partitions.emplace_back();
            out.partition_index = index;
            const auto* p = found ? found->find_partition(index) : nullptr;
            kafka_errc error = kafka_errc::none;
            if (ctx.injected_error != 0) error = static_cast<kafka_errc>(ctx.injected_error);
            else if (!p) error = kafka_errc::unknown_topic_or_partition;
            else if (p->leader != ctx.node.id) error = kafka_errc::not_leader_or_follower;
            out.error_code = static_cast<std::int16_t>(error);
            if (error != kafka_errc::none) continue;
            for (const auto& producer : ctx.state.producers().producers_of(*found, *p)) {
                auto& s = out.active_producers.emplace_back();
                s.producer_id = producer.producer_id;
                s.producer_epoch = producer.epoch;
                s.last_sequence = producer.last_sequence;
                s.last_timestamp = producer.last_timestamp;
                s.coordinator_epoch = producer.coordinator_epoch;
                s.current_txn_start_offset = -1;
            }
        }
    }
    reply<protocol::describe_producers_response>(ctx).send(response);
}

} // namespace kafkit::broker
