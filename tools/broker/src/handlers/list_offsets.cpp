// ListOffsets (key 2, v0-9): offsets by timestamp (see data/offset_lookup.hpp), with the
// leader epoch of the answer (v4+), per-partition errors (UNKNOWN_TOPIC_OR_PARTITION,
// NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH from
// current_leader_epoch), and INVALID_REQUEST for a partition asked twice (v1+), as
// Kafka's KafkaApis.handleListOffsetRequest answers. No transactions: the last stable
// offset of read_committed is the high watermark.

#include "data/offset_lookup.hpp"
#include "data/partition_access.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/list_offsets.hpp"
#include "server/scheduler.hpp"
#include "state/broker_state.hpp"

#include <map>

namespace kafkit::broker {
namespace {

using protocol::list_offsets_request;
using protocol::list_offsets_response;
using partition_response = list_offsets_response::list_offsets_partition_response;

partition_response list_partition(request_context& ctx, const topic* t,
                                  const list_offsets_request::list_offsets_partition& request, bool duplicate) {
    const std::int16_t v = ctx.api_version;
    partition_response out;
    out.partition_index = request.partition_index;
    auto error = kafka_errc::none;
    const auto access = access_partition(t, request.partition_index, ctx.node,
                                         v >= 4 ? request.current_leader_epoch : no_leader_epoch);
    if (ctx.injected_error != 0) error = static_cast<kafka_errc>(ctx.injected_error);
    else if (duplicate) error = kafka_errc::invalid_request;
    else error = access.error;
    if (error != kafka_errc::none) {
        out.error_code = static_cast<std::int16_t>(error);
        return out; // timestamp -1, offset -1, epoch -1, no old-style offsets
    }
    const partition& p = *access.part;
    if (v == 0) {
        out.old_style_offsets = legacy_offsets(p, request.timestamp, request.max_num_offsets, scheduler::wall_clock_ms());
        return out;
    }
    if (auto found = find_offset(p, request.timestamp)) {
        out.timestamp = found->timestamp;
        out.offset = found->offset;
        if (v >= 4) out.leader_epoch = found->leader_epoch;
    }
    return out;
}

} // namespace

void handle_list_offsets(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<list_offsets_request>(ctx, body);
    if (!request) return;
    std::map<std::pair<std::string, std::int32_t>, int> asked;
    for (const auto& topic_request : request->topics)
        for (const auto& p : topic_request.partitions) ++asked[{topic_request.name, p.partition_index}];

    list_offsets_response response;
    for (const auto& topic_request : request->topics) {
        list_offsets_response::list_offsets_topic_response tr;
        tr.name = topic_request.name;
        const topic* t = ctx.state.find_topic(topic_request.name);
        for (const auto& p : topic_request.partitions) {
            const bool duplicate = ctx.api_version >= 1 && asked[{topic_request.name, p.partition_index}] > 1;
            tr.partitions.push_back(list_partition(ctx, t, p, duplicate));
        }
        response.topics.push_back(std::move(tr));
    }
    reply<list_offsets_response>(ctx).send(response);
}

} // namespace kafkit::broker
