// OffsetCommit (key 8, v0-9): stores consumed positions. Group commits are checked against
// the member and generation (ClassicGroup.validateOffsetCommit); commits with generation -1
// and no member (v0's defaults, admin tools, manual assignment) are taken while the group
// has no members. Errors are per partition: unknown topics, the group's verdict,
// OFFSET_METADATA_TOO_LARGE (offset.metadata.max.bytes).

#include "group/group_coordinator.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/offset_commit.hpp"
#include "server/scheduler.hpp"
#include "state/broker_state.hpp"

#include <algorithm>

namespace kafkit::broker {
namespace {

using protocol::offset_commit_request;
using protocol::offset_commit_response;

/// offset.metadata.max.bytes (Kafka's default).
constexpr std::size_t offset_metadata_max_bytes = 4096;

/// The response with one entry per requested partition, all answered `error`.
offset_commit_response mirror(const offset_commit_request& request, std::int16_t error) {
    offset_commit_response response;
    for (const auto& t : request.topics) {
        offset_commit_response::offset_commit_response_topic topic;
        topic.name = t.name;
        for (const auto& p : t.partitions) {
            offset_commit_response::offset_commit_response_partition partition;
            partition.partition_index = p.partition_index;
            partition.error_code = error;
            topic.partitions.push_back(partition);
        }
        response.topics.push_back(std::move(topic));
    }
    return response;
}

} // namespace

void handle_offset_commit(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<offset_commit_request>(ctx, body);
    if (!request) return;
    auto& groups = ctx.state.groups();
    auto response = mirror(*request, ctx.injected_error);
    if (ctx.injected_error != 0) return reply<offset_commit_response>(ctx).send(response);

    // Only partitions of known topics reach the coordinator; if there are none the group is
    // not even looked at (so no simple group is created), as in KafkaApis.
    const bool any_known = std::any_of(request->topics.begin(), request->topics.end(), [&](const auto& t) {
        return ctx.state.find_topic(t.name) != nullptr && !t.partitions.empty();
    });
    kafka_errc verdict = groups.check_coordinator(request->group_id, ctx.node.id);
    if (verdict == kafka_errc::none && any_known) {
        commit_params params;
        params.group_id = request->group_id;
        params.generation_id = request->generation_id_or_member_epoch;
        params.member_id = request->member_id;
        params.group_instance_id = request->group_instance_id;
        params.api_version = ctx.api_version;
        verdict = groups.validate_commit(params);
    }

    const auto now = scheduler::wall_clock_ms();
    std::vector<std::pair<topic_partition, committed_offset>> accepted;
    std::vector<std::int16_t*> accepted_errors;
    for (std::size_t ti = 0; ti < request->topics.size(); ++ti) {
        const auto& t = request->topics[ti];
        const bool known = ctx.state.find_topic(t.name) != nullptr;
        for (std::size_t pi = 0; pi < t.partitions.size(); ++pi) {
            const auto& p = t.partitions[pi];
            auto& error = response.topics[ti].partitions[pi].error_code;
            const std::string metadata = p.committed_metadata.value_or("");
            if (!known) {
                error = static_cast<std::int16_t>(kafka_errc::unknown_topic_or_partition);
            } else if (verdict != kafka_errc::none) {
                error = static_cast<std::int16_t>(verdict);
            } else if (metadata.size() > offset_metadata_max_bytes) {
                error = static_cast<std::int16_t>(kafka_errc::offset_metadata_too_large);
            } else {
                committed_offset value;
                value.offset = p.committed_offset;
                value.leader_epoch = p.committed_leader_epoch;
                value.metadata = metadata;
                // v1 may carry the commit time; v2-4 a retention that sets an expiry.
                value.commit_timestamp_ms = p.commit_timestamp == -1 ? now : p.commit_timestamp;
                value.expire_timestamp_ms = request->retention_time_ms == -1 ? -1 : now + request->retention_time_ms;
                accepted.emplace_back(topic_partition{t.name, p.partition_index}, std::move(value));
                accepted_errors.push_back(&error);
            }
        }
    }
    if (auto stored = groups.commit_offsets(request->group_id, accepted); stored != kafka_errc::none)
        for (auto* error : accepted_errors) *error = static_cast<std::int16_t>(stored);
    reply<offset_commit_response>(ctx).send(response);
}

} // namespace kafkit::broker
