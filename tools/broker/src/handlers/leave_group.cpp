// LeaveGroup (key 13, v0-5): members leave at once instead of timing out. v0-2 name one
// member and report one error; v3+ (KIP-345) name several, static ones possibly by
// group.instance.id alone, each with its own error.

#include "group/group_coordinator.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/leave_group.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {

void handle_leave_group(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::leave_group_request>(ctx, body);
    if (!request) return;
    std::vector<member_identity> identities;
    if (ctx.api_version >= 3) {
        for (const auto& m : request->members) identities.push_back({m.member_id, m.group_instance_id});
    } else {
        identities.push_back({request->member_id, std::nullopt});
    }

    leave_outcome outcome;
    if (ctx.injected_error != 0) {
        outcome.error = static_cast<kafka_errc>(ctx.injected_error);
        outcome.members.assign(identities.size(), outcome.error);
    } else if (request->group_id.empty()) {
        outcome.error = kafka_errc::invalid_group_id;
    } else if (auto error = ctx.state.groups().check_coordinator(request->group_id, ctx.node.id);
               error != kafka_errc::none) {
        outcome.error = error;
    } else {
        outcome = ctx.state.groups().leave(request->group_id, identities);
    }

    protocol::leave_group_response response;
    response.error_code = static_cast<std::int16_t>(outcome.error);
    if (ctx.api_version >= 3) {
        for (std::size_t i = 0; i < outcome.members.size() && i < identities.size(); ++i) {
            protocol::leave_group_response::member_response member;
            member.member_id = identities[i].member_id;
            member.group_instance_id = identities[i].group_instance_id;
            member.error_code = static_cast<std::int16_t>(outcome.members[i]);
            response.members.push_back(std::move(member));
        }
    } else if (outcome.error == kafka_errc::none && !outcome.members.empty()) {
        // One member, one error: the member's error is the response's (LeaveGroupResponse).
        response.error_code = static_cast<std::int16_t>(outcome.members.front());
    }
    reply<protocol::leave_group_response>(ctx).send(response);
}

} // namespace kafkit::broker
