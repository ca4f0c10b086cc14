// ConsumerGroupHeartbeat (key 68, v0-1, KIP-848): members of a consumer group join (epoch
// 0), heartbeat with their epoch and owned partitions, and leave (-1; -2 for a static
// member that will be back). Checked here, in Kafka's order (GroupCoordinatorService's
// request validation): fault injection, INVALID_REQUEST for missing or contradictory
// fields, UNSUPPORTED_ASSIGNOR, then NOT_COORDINATOR; the group's answer comes from
// group_coordinator. v1 members generate their own member id (KIP-1082); v0 members get one.

#include "kafkit/protocol/messages/consumer_group_heartbeat.hpp"
#include "group/group_coordinator.hpp"
#include "group/server_assignor.hpp"
#include "handlers/handlers.hpp"
#include "state/broker_state.hpp"

#include <algorithm>
#include <cctype>

namespace kafkit::broker {
namespace {

using protocol::consumer_group_heartbeat_request;
using protocol::consumer_group_heartbeat_response;

/// A value that is set but blank (Kafka trims before checking).
bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}
bool blank_if_set(const std::optional<std::string>& s) {
    return s && blank(*s);
}

/// Kafka's throwIfConsumerGroupHeartbeatRequestIsInvalid: an error and its message, or none.
std::pair<kafka_errc, std::string> invalid(const consumer_group_heartbeat_request& r, std::int16_t version) {
    const auto bad = [](std::string message) { return std::pair{kafka_errc::invalid_request, std::move(message)}; };
    if ((version >= 1 || r.member_epoch > 0 || r.member_epoch == leave_group_member_epoch) && blank(r.member_id))
        return bad("MemberId can't be empty.");
    if (blank(r.group_id)) return bad("GroupId can't be empty.");
    if (blank_if_set(r.instance_id)) return bad("InstanceId can't be empty.");
    if (blank_if_set(r.rack_id)) return bad("RackId can't be empty.");
    if (r.member_epoch == 0) {
        if (r.rebalance_timeout_ms == -1) return bad("RebalanceTimeoutMs must be provided in first request.");
        if (!r.topic_partitions || !r.topic_partitions->empty())
            return bad("TopicPartitions must be empty when (re-)joining.");
        // An empty list or regex is a member subscribed to nothing, which is allowed.
        if (!r.subscribed_topic_names && !r.subscribed_topic_regex)
            return bad("Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when "
                       "(re-)joining.");
    } else if (r.member_epoch == leave_group_static_member_epoch) {
        if (!r.instance_id) return bad("InstanceId can't be null.");
    } else if (r.member_epoch < leave_group_static_member_epoch) {
        return bad("MemberEpoch is invalid.");
    }
    if (r.server_assignor && !find_server_assignor(*r.server_assignor))
        return {kafka_errc::unsupported_assignor,
                "ServerAssignor " + *r.server_assignor +
                    " is not supported. Supported assignors: " + server_assignor_names() + "."};
    return {kafka_errc::none, {}};
}

consumer_heartbeat_params to_params(const request_context& ctx, consumer_group_heartbeat_request& r) {
    consumer_heartbeat_params p;
    p.group_id = std::move(r.group_id);
    p.member_id = std::move(r.member_id);
    p.member_epoch = r.member_epoch;
    p.instance_id = std::move(r.instance_id);
    p.rack_id = std::move(r.rack_id);
    p.rebalance_timeout_ms = r.rebalance_timeout_ms;
    p.subscribed_topic_names = std::move(r.subscribed_topic_names);
    p.subscribed_topic_regex = std::move(r.subscribed_topic_regex);
    p.server_assignor = std::move(r.server_assignor);
    if (r.topic_partitions) {
        p.owned.emplace();
        for (const auto& t : *r.topic_partitions)
            for (auto partition : t.partitions) add_partition(*p.owned, t.topic_id, partition);
    }
    p.client_id = ctx.client_id;
    p.client_host = ctx.client_host;
    return p;
}

consumer_group_heartbeat_response to_response(const consumer_heartbeat_result& result) {
    consumer_group_heartbeat_response response;
    response.error_code = static_cast<std::int16_t>(result.error);
    response.error_message = result.error_message;
    response.member_id = result.member_id;
    response.member_epoch = result.member_epoch;
    response.heartbeat_interval_ms = result.heartbeat_interval_ms;
    if (result.assignment) {
        response.assignment.emplace();
        for (const auto& [id, partitions] : *result.assignment) {
            consumer_group_heartbeat_response::topic_partitions_struct t;
            t.topic_id = id;
            t.partitions.assign(partitions.begin(), partitions.end());
            response.assignment->topic_partitions.push_back(std::move(t));
        }
    }
    return response;
}

} // namespace

void handle_consumer_group_heartbeat(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<consumer_group_heartbeat_request>(ctx, body);
    if (!request) return;
    consumer_heartbeat_result result;
    auto& groups = ctx.state.groups();
    if (ctx.injected_error != 0) {
        result.error = static_cast<kafka_errc>(ctx.injected_error);
    } else if (auto [error, message] = invalid(*request, ctx.api_version); error != kafka_errc::none) {
        result.error = error;
        result.error_message = std::move(message);
    } else if (error = groups.check_coordinator(request->group_id, ctx.node.id); error != kafka_errc::none) {
        result.error = error;
    } else {
        result = groups.consumer_heartbeat(to_params(ctx, *request));
    }
    reply<consumer_group_heartbeat_response>(ctx).send(to_response(result));
}

} // namespace kafkit::broker
