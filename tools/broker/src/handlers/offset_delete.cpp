// OffsetDelete (key 47, v0, KIP-496): deletes committed offsets of some partitions. An Empty
// group may delete any; a consumer group with members only those of topics no member
// subscribes to (GROUP_SUBSCRIBED_TO_TOPIC otherwise, read from the members'
// ConsumerProtocolSubscription, or from the subscriptions of a KIP-848 group); other
// non-empty groups answer NON_EMPTY_GROUP.

#include "group/group_coordinator.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/offset_delete.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {

void handle_offset_delete(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::offset_delete_request>(ctx, body);
    if (!request) return;
    auto& groups = ctx.state.groups();
    protocol::offset_delete_response response;
    kafka_errc error = static_cast<kafka_errc>(ctx.injected_error);
    if (error == kafka_errc::none) error = groups.check_coordinator(request->group_id, ctx.node.id);
    if (error == kafka_errc::none) error = groups.validate_offset_delete(request->group_id);
    if (error != kafka_errc::none) {
        response.error_code = static_cast<std::int16_t>(error);
        return reply<protocol::offset_delete_response>(ctx).send(response);
    }

    std::vector<topic_partition> doomed;
    for (const auto& t : request->topics) {
        protocol::offset_delete_response::offset_delete_response_topic out;
        out.name = t.name;
        const topic* known = ctx.state.find_topic(t.name);
        const bool subscribed = groups.is_subscribed_to_topic(request->group_id, t.name);
        for (const auto& p : t.partitions) {
            protocol::offset_delete_response::offset_delete_response_partition partition;
            partition.partition_index = p.partition_index;
            if (!known || !known->find_partition(p.partition_index))
                partition.error_code = static_cast<std::int16_t>(kafka_errc::unknown_topic_or_partition);
            else if (subscribed)
                partition.error_code = static_cast<std::int16_t>(kafka_errc::group_subscribed_to_topic);
            else
                doomed.push_back({t.name, p.partition_index});
            out.partitions.push_back(partition);
        }
        response.topics.push_back(std::move(out));
    }
    // Partitions without an offset are answered without error, as in Kafka.
    if (auto deleted = groups.delete_offsets(request->group_id, doomed); deleted != kafka_errc::none)
        for (auto& out : response.topics)
            for (auto& partition : out.partitions)
                if (partition.error_code == 0) partition.error_code = static_cast<std::int16_t>(deleted);
    reply<protocol::offset_delete_response>(ctx).send(response);
}

} // namespace kafkit::broker
