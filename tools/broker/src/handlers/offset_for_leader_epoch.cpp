// OffsetForLeaderEpoch (key 23, v0-4): the end offset of a leader epoch (KIP-101, and
// KIP-320 for consumers validating their position after a leader change), from the
// partition's leader epoch cache as Kafka's LeaderEpochFileCache.endOffsetFor computes it:
// the current epoch ends at the log end, an older one where the next known epoch starts;
// an unknown (newer) epoch or -1 gives leader_epoch -1 and end_offset -1 without error.
// Errors: UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER, and FENCED_LEADER_EPOCH /
// UNKNOWN_LEADER_EPOCH when current_leader_epoch (v2+) is older / newer than the leader's.

#include "data/partition_access.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/offset_for_leader_epoch.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {

void handle_offset_for_leader_epoch(request_context& ctx, protocol::bytes_view body) {
    using protocol::offset_for_leader_epoch_response;
    auto request = decode_request<protocol::offset_for_leader_epoch_request>(ctx, body);
    if (!request) return;
    offset_for_leader_epoch_response response;
    for (const auto& topic_request : request->topics) {
        offset_for_leader_epoch_response::offset_for_leader_topic_result tr;
        tr.topic = topic_request.topic;
        const topic* t = ctx.state.find_topic(topic_request.topic);
        for (const auto& p : topic_request.partitions) {
            offset_for_leader_epoch_response::epoch_end_offset out;
            out.partition = p.partition;
            out.leader_epoch = -1;
            out.end_offset = -1;
            const auto access =
                access_partition(t, p.partition, ctx.node, ctx.api_version >= 2 ? p.current_leader_epoch : no_leader_epoch);
            if (ctx.injected_error != 0) {
                out.error_code = ctx.injected_error;
            } else if (access.error != kafka_errc::none) {
                out.error_code = static_cast<std::int16_t>(access.error);
            } else if (auto end = end_offset_for_epoch(*access.part, p.leader_epoch)) {
                out.leader_epoch = end->first;
                out.end_offset = end->second;
            }
            tr.partitions.push_back(std::move(out));
        }
        response.topics.push_back(std::move(tr));
    }
    reply<offset_for_leader_epoch_response>(ctx).send(response);
}

} // namespace kafkit::broker
