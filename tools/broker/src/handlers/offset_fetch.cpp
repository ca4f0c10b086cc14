// OffsetFetch (key 9, v0-9): committed offsets of a group (v8+: of several groups, KIP-709).
// A partition without a committed offset answers offset -1 and empty metadata; null topics
// (v2+) ask for every committed offset of the group. Group-level errors go where each
// version carries them: per partition (v0-1), top level (v2-7), per group (v8+).
// RequireStable (v7+) needs nothing here: there are no pending transactional offsets.
// v9 (KIP-848) names the member of a consumer group: UNKNOWN_MEMBER_ID or STALE_MEMBER_EPOCH
// when it is not (ConsumerGroup.validateOffsetFetch).

#include "group/group_coordinator.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/offset_fetch.hpp"
#include "state/broker_state.hpp"

#include <map>

namespace kafkit::broker {
namespace {

using protocol::offset_fetch_request;
using protocol::offset_fetch_response;

/// One partition's answer, whatever the version's struct.
struct fetched {
    std::int32_t partition = 0;
    std::int64_t offset = -1;
    std::int32_t leader_epoch = -1;
    std::string metadata;
    std::int16_t error = 0;
};

/// The answer for one group: (topic, partitions) in request order, or all committed ones.
using fetched_topics = std::vector<std::pair<std::string, std::vector<fetched>>>;

fetched lookup(const offset_store& store, const std::string& group, const std::string& topic, std::int32_t partition) {
    fetched out;
    out.partition = partition;
    if (const auto* value = store.find(group, topic_partition{topic, partition})) {
        out.offset = value->offset;
        out.leader_epoch = value->leader_epoch;
        out.metadata = value->metadata;
    }
    return out;
}

/// The requested partitions (nullopt: all committed) of `group`, each with `error` when set.
template <class Topics>
fetched_topics fetch_group(const offset_store& store, const std::string& group, const std::optional<Topics>& topics,
                           std::int16_t error) {
    fetched_topics out;
    if (!topics) {
        if (error != 0) return out;
        if (const auto* all = store.group_offsets(group))
            for (const auto& [tp, value] : *all) {
                if (out.empty() || out.back().first != tp.topic) out.emplace_back(tp.topic, std::vector<fetched>{});
                out.back().second.push_back(lookup(store, group, tp.topic, tp.partition));
            }
        return out;
    }
    for (const auto& t : *topics) {
        std::vector<fetched> partitions;
        for (auto index : t.partition_indexes) {
            auto f = error != 0 ? fetched{index, -1, -1, {}, error} : lookup(store, group, t.name, index);
            partitions.push_back(std::move(f));
        }
        out.emplace_back(t.name, std::move(partitions));
    }
    return out;
}

/// The group-level error: injected, or the coordinator check.
std::int16_t group_error(request_context& ctx, const std::string& group) {
    if (ctx.injected_error != 0) return ctx.injected_error;
    return static_cast<std::int16_t>(ctx.state.groups().check_coordinator(group, ctx.node.id));
}

/// Copies fetched offsets into a response's partitions (the single-group and the
/// multi-group layouts have the same fields under different type names).
template <class Partition, class Fetched>
void fill_partitions(std::vector<Partition>& out, Fetched& fetched) {
    for (auto& f : fetched) {
        Partition p;
        p.partition_index = f.partition;
        p.committed_offset = f.offset;
        p.committed_leader_epoch = f.leader_epoch;
        p.metadata = std::move(f.metadata);
        p.error_code = f.error;
        out.push_back(std::move(p));
    }
}

void answer_single_group(request_context& ctx, const offset_fetch_request& request) {
    const auto& store = ctx.state.groups().offsets();
    const auto error = group_error(ctx, request.group_id);
    offset_fetch_response response;
    // v0-1 have no group-level error field: the error goes into every partition.
    const bool per_partition = ctx.api_version < 2;
    for (auto& [name, partitions] :
         fetch_group(store, request.group_id, request.topics, per_partition ? error : std::int16_t{0})) {
        if (!per_partition && error != 0) break;
        offset_fetch_response::offset_fetch_response_topic topic;
        topic.name = name;
        fill_partitions(topic.partitions, partitions);
        response.topics.push_back(std::move(topic));
    }
    if (!per_partition) response.error_code = error;
    reply<offset_fetch_response>(ctx).send(response);
}

void answer_groups(request_context& ctx, const offset_fetch_request& request) {
    const auto& store = ctx.state.groups().offsets();
    offset_fetch_response response;
    for (const auto& g : request.groups) {
        offset_fetch_response::offset_fetch_response_group group;
        group.group_id = g.group_id;
        group.error_code = group_error(ctx, g.group_id);
        if (group.error_code == 0)
            group.error_code = static_cast<std::int16_t>(
                ctx.state.groups().validate_fetch(g.group_id, g.member_id, g.member_epoch));
        if (group.error_code == 0) {
            for (auto& [name, partitions] : fetch_group(store, g.group_id, g.topics, 0)) {
                offset_fetch_response::offset_fetch_response_topics topic;
                topic.name = name;
                fill_partitions(topic.partitions, partitions);
                group.topics.push_back(std::move(topic));
            }
        }
        response.groups.push_back(std::move(group));
    }
    reply<offset_fetch_response>(ctx).send(response);
}

} // namespace

void handle_offset_fetch(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<offset_fetch_request>(ctx, body);
    if (!request) return;
    if (ctx.api_version >= 8)
        answer_groups(ctx, *request);
    else
        answer_single_group(ctx, *request);
}

} // namespace kafkit::broker
