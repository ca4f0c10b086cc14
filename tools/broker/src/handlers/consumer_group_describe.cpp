// ConsumerGroupDescribe (key 69, v0, KIP-848): a consumer group's state, epochs, assignor and
// members, each with its subscription, current assignment and target assignment (topic ids
// with their names). GROUP_ID_NOT_FOUND for unknown groups and for classic groups, as in
// Kafka. Authorized operations (KIP-430) when asked.

#include "kafkit/protocol/messages/consumer_group_describe.hpp"
#include "group/group_coordinator.hpp"
#include "handlers/authorized_operations.hpp"
#include "handlers/handlers.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {
namespace {

using protocol::consumer_group_describe_response;

/// Partitions with their topic names; topics deleted meanwhile are left out, as in Kafka.
consumer_group_describe_response::assignment_struct named(const broker_state& state, const topic_assignment& a) {
    consumer_group_describe_response::assignment_struct out;
    for (const auto& [id, partitions] : a) {
        const topic* t = state.find_topic(id);
        if (!t) continue;
        consumer_group_describe_response::topic_partitions_struct tp;
        tp.topic_id = id;
        tp.topic_name = t->name;
        tp.partitions.assign(partitions.begin(), partitions.end());
        out.topic_partitions.push_back(std::move(tp));
    }
    return out;
}

consumer_group_describe_response::described_group describe(const broker_state& state, const consumer_group& group) {
    consumer_group_describe_response::described_group out;
    out.group_id = group.id();
    out.group_state = std::string(consumer_group_state_name(group.state()));
    out.group_epoch = group.group_epoch();
    out.assignment_epoch = group.assignment_epoch();
    out.assignor_name = std::string(group.preferred_assignor().name);
    for (const auto& [id, m] : group.members()) {
        consumer_group_describe_response::member member;
        member.member_id = id;
        member.instance_id = m->instance_id;
        member.rack_id = m->rack_id;
        member.member_epoch = m->assignment.member_epoch;
        member.client_id = m->client_id;
        member.client_host = m->client_host;
        member.subscribed_topic_names = m->subscription.topic_names;
        if (!m->subscription.topic_regex.empty()) member.subscribed_topic_regex = m->subscription.topic_regex;
        member.assignment = named(state, m->assignment.assigned);
        member.target_assignment = named(state, group.target(id));
        out.members.push_back(std::move(member));
    }
    return out;
}

} // namespace

void handle_consumer_group_describe(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::consumer_group_describe_request>(ctx, body);
    if (!request) return;
    auto& groups = ctx.state.groups();
    consumer_group_describe_response response;
    for (const auto& id : request->group_ids) {
        consumer_group_describe_response::described_group out;
        out.group_id = id;
        std::int16_t error = ctx.injected_error;
        if (error == 0) error = static_cast<std::int16_t>(groups.check_coordinator(id, ctx.node.id));
        if (error != 0) {
            out.error_code = error;
        } else if (const consumer_group* group = groups.consumer_groups().find(id)) {
            out = describe(ctx.state, *group);
            if (request->include_authorized_operations) out.authorized_operations = group_operations;
        } else {
            out.error_code = static_cast<std::int16_t>(kafka_errc::group_id_not_found);
            out.error_message =
                groups.find_group(id) ? "Group " + id + " is not a consumer group." : "Group " + id + " not found.";
        }
        response.groups.push_back(std::move(out));
    }
    reply<consumer_group_describe_response>(ctx).send(response);
}

} // namespace kafkit::broker
