// AlterPartitionReassignments (key 45, v0) and ListPartitionReassignments (key 46, v0),
// KIP-455, as the KRaft controller answers them. Every replica shares the partition's log,
// so new replicas are in sync at once: a reassignment completes within the request (the
// replicas and leader Metadata reports change), none is ever ongoing, and cancelling one
// is NO_REASSIGNMENT_IN_PROGRESS.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/alter_partition_reassignments.hpp"
#include "kafkit/protocol/messages/list_partition_reassignments.hpp"
#include "state/broker_state.hpp"
#include "state/replica_assignment.hpp"

namespace kafkit::broker {
namespace {

using protocol::alter_partition_reassignments_request;
using protocol::alter_partition_reassignments_response;
using protocol::list_partition_reassignments_request;
using protocol::list_partition_reassignments_response;

/// An outcome: code and Kafka's message (empty for none).
struct outcome {
    kafka_errc error = kafka_errc::none;
    std::string message;
};

/// ReplicationControlManager.alterPartitionReassignment's checks and messages.
outcome reassign(broker_state& state, const std::string& name,
                 const alter_partition_reassignments_request::reassignable_partition& target) {
    topic* t = state.find_topic(name);
    if (!t) return {kafka_errc::unknown_topic_or_partition, "Unable to find a topic named " + name + "."};
    if (!t->find_partition(target.partition_index))
        return {kafka_errc::unknown_topic_or_partition,
                "Unable to find partition " + name + ":" + std::to_string(target.partition_index) + "."};
    if (!target.replicas) return {kafka_errc::no_reassignment_in_progress, "No partition reassignment is in progress."};
    if (auto reason = assignment_error({*target.replicas}, state.nodes(), 0); !reason.empty())
        return {kafka_errc::invalid_replica_assignment, reason};
    reassign_replicas(state, *t, target.partition_index, *target.replicas);
    return {};
}

} // namespace

void handle_alter_partition_reassignments(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<alter_partition_reassignments_request>(ctx, body);
    if (!request) return;
    alter_partition_reassignments_response response;
    response.error_message = std::nullopt;
    // An injected error answers at the top and in every partition (getErrorResponse).
    const auto injected = static_cast<kafka_errc>(ctx.injected_error);
    response.error_code = ctx.injected_error;
    for (const auto& t : request->topics) {
        alter_partition_reassignments_response::reassignable_topic_response out;
        out.name = t.name;
        for (const auto& p : t.partitions) {
            const auto result = injected != kafka_errc::none ? outcome{injected, {}} : reassign(ctx.state, t.name, p);
            alter_partition_reassignments_response::reassignable_partition_response part;
            part.partition_index = p.partition_index;
            part.error_code = static_cast<std::int16_t>(result.error);
            part.error_message = result.message.empty() ? std::nullopt : std::optional(result.message);
            out.partitions.push_back(std::move(part));
        }
        response.responses.push_back(std::move(out));
    }
    reply<alter_partition_reassignments_response>(ctx).send(response);
}

void handle_list_partition_reassignments(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<list_partition_reassignments_request>(ctx, body);
    if (!request) return;
    // No reassignment outlives its request: the list of ongoing ones is always empty, for
    // every topic or the named ones (unknown names are skipped, as in Kafka).
    list_partition_reassignments_response response;
    response.error_message = std::nullopt;
    response.error_code = ctx.injected_error;
    reply<list_partition_reassignments_response>(ctx).send(response);
}

} // namespace kafkit::broker
