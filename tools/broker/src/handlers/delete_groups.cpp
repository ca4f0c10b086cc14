// DeleteGroups (key 42, v0-2): deletes Empty groups and their committed offsets
// (persisted as a group deletion). NON_EMPTY_GROUP while members remain,
// GROUP_ID_NOT_FOUND for unknown groups.

#include "group/group_coordinator.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/delete_groups.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {

void handle_delete_groups(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::delete_groups_request>(ctx, body);
    if (!request) return;
    auto& groups = ctx.state.groups();
    protocol::delete_groups_response response;
    for (const auto& id : request->groups_names) {
        protocol::delete_groups_response::deletable_group_result result;
        result.group_id = id;
        kafka_errc error = static_cast<kafka_errc>(ctx.injected_error);
        if (error == kafka_errc::none) error = groups.check_coordinator(id, ctx.node.id);
        if (error == kafka_errc::none) error = groups.delete_group(id);
        result.error_code = static_cast<std::int16_t>(error);
        response.results.push_back(std::move(result));
    }
    reply<protocol::delete_groups_response>(ctx).send(response);
}

} // namespace kafkit::broker
