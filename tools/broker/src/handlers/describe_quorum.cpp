// DescribeQuorum (55, v0-2, KIP-836): the broker answers as a KRaft cluster whose metadata
// quorum is one voter, the controller DescribeCluster reports, with the other brokers as
// observers. Its log is not modelled: offsets are 0 and fetch times unknown (-1). Any
// partition other than __cluster_metadata-0 is UNKNOWN_TOPIC_OR_PARTITION.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/describe_quorum.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {
namespace {

using protocol::describe_quorum_request;
using protocol::describe_quorum_response;

describe_quorum_response::replica_state replica(std::int32_t id) {
    describe_quorum_response::replica_state r;
    r.replica_id = id;
    r.log_end_offset = 0;
    r.last_fetch_timestamp = -1;
    r.last_caught_up_timestamp = -1;
    return r;
}

} // namespace

void handle_describe_quorum(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<describe_quorum_request>(ctx, body);
    if (!request) return;
    describe_quorum_response response;
    if (ctx.injected_error != 0) {
        response.error_code = ctx.injected_error;
        reply<describe_quorum_response>(ctx).send(response);
        return;
    }
    auto& state = ctx.state;
    const auto controller = state.controller_id();
    for (const auto& t : request->topics) {
        auto& out_topic = response.topics.emplace_back();
        out_topic.topic_name = t.topic_name;
        for (const auto& p : t.partitions) {
            auto& out = out_topic.partitions.emplace_back();
            out.partition_index = p.partition_index;
            if (t.topic_name != "__cluster_metadata" || p.partition_index != 0) {
                out.error_code = static_cast<std::int16_t>(kafka_errc::unknown_topic_or_partition);
                if (ctx.api_version >= 2) out.error_message = "The topic or partition is not the cluster's metadata log.";
                continue;
            }
            if (ctx.api_version >= 2) out.error_message.reset(); // null: no error
            out.leader_id = controller;
            out.leader_epoch = 1;
            out.high_watermark = 0;
            out.current_voters.push_back(replica(controller));
            for (const auto& n : state.nodes())
                if (n.up && n.id != controller) out.observers.push_back(replica(n.id));
        }
    }
    if (ctx.api_version >= 2) {
        for (const auto& n : state.nodes()) {
            if (!n.up || n.id != controller) continue;
            auto& node = response.nodes.emplace_back();
            node.node_id = n.id;
            auto& l = node.listeners.emplace_back();
            l.name = "PLAINTEXT";
            l.host = n.host;
            l.port = static_cast<std::uint16_t>(n.port);
        }
    }
    reply<describe_quorum_response>(ctx).send(response);
}

} // namespace kafkit::broker
