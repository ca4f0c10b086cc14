// DescribeGroups (key 15, v0-5): a group's state, protocol and members (client id, host,
// and, while Stable, each member's metadata for the selected protocol and its assignment).
// An unknown group is described as Dead with no error, as Kafka does up to v5. Authorized
// operations (KIP-430) from v3 when asked.

#include "group/group_coordinator.hpp"
#include "handlers/authorized_operations.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/describe_groups.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {
namespace {

using protocol::describe_groups_response;

describe_groups_response::described_group describe(const classic_group& group) {
    describe_groups_response::described_group out;
    out.group_id = group.id();
    out.group_state = std::string(group_state_name(group.state()));
    out.protocol_type = group.protocol_type().value_or("");
    const bool stable = group.is(group_state::stable) && group.protocol_name();
    out.protocol_data = stable ? *group.protocol_name() : std::string();
    for (const auto& m : group.members()) {
        describe_groups_response::described_group_member member;
        member.member_id = m->member_id;
        member.group_instance_id = m->group_instance_id;
        member.client_id = m->client_id;
        member.client_host = m->client_host;
        // Metadata and assignment only mean something for a settled generation.
        if (stable) {
            if (const auto* metadata = m->metadata(*group.protocol_name()))
                member.member_metadata = protocol::bytes_view(metadata->data(), metadata->size());
            member.member_assignment = protocol::bytes_view(m->assignment.data(), m->assignment.size());
        }
        out.members.push_back(std::move(member));
    }
    return out;
}

} // namespace

void handle_describe_groups(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::describe_groups_request>(ctx, body);
    if (!request) return;
    auto& groups = ctx.state.groups();
    describe_groups_response response;
    for (const auto& id : request->groups) {
        describe_groups_response::described_group out;
        std::int16_t error = ctx.injected_error;
        if (error == 0) error = static_cast<std::int16_t>(groups.check_coordinator(id, ctx.node.id));
        if (error != 0) {
            out.group_id = id;
            out.error_code = error;
        } else if (const classic_group* group = groups.find_group(id)) {
            out = describe(*group);
            if (ctx.api_version >= 3 && request->include_authorized_operations)
                out.authorized_operations = group_operations;
        } else {
            out.group_id = id;
            out.group_state = std::string(group_state_name(group_state::dead));
        }
        response.groups.push_back(std::move(out));
    }
    // The member views point into the groups, which do not change before this returns.
    reply<describe_groups_response>(ctx).send(response);
}

} // namespace kafkit::broker
